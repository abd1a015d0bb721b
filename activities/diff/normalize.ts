import type { KubernetesObject } from '@kubernetes/client-node';
import { APPLIED_HASH_ANNOTATION } from '../sync/annotations.js';

/** Fields of metadata the API server writes and no manifest declares. */
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
] as const;

/** Annotations that record how an object was applied rather than what it should be. */
const BOOKKEEPING_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  // Sluice's own hash of the manifest: it differs between desired and live whenever anything does.
  APPLIED_HASH_ANNOTATION,
];

/** A plain-JSON copy of an object without what the server sets and nobody declares (status, server metadata, bookkeeping annotations). */
export function normalize(obj: KubernetesObject): KubernetesObject {
  // A JSON round trip turns client-node's class instances and Dates into plain data and drops
  // `undefined` properties, so two equal objects compare equal however they were read.
  const out = JSON.parse(JSON.stringify(obj)) as KubernetesObject & { status?: unknown };
  delete out.status;
  const metadata = out.metadata;
  if (!metadata) return out;
  for (const field of SERVER_METADATA) delete metadata[field];
  if (metadata.annotations) {
    for (const key of BOOKKEEPING_ANNOTATIONS) delete metadata.annotations[key];
    if (Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
  }
  return out;
}
