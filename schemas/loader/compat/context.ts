import type { TrafficProviderName } from '../../../core/traffic/providers.js';
import type { ParsedDocument } from '../parse.js';
import type { Conversion } from './conversion.js';

/** Documents a converter may need besides its own: Argo Rollouts name AnalysisTemplates and Services, Flux
 * Kustomizations name GitRepositories, all defined elsewhere in the files read together. */
export interface CompatContext {
  /** Argo AnalysisTemplates by "namespace/name", ClusterAnalysisTemplates by "cluster/name". */
  analysisTemplates: Map<string, ParsedDocument>;
  /** The traffic provider a document that names none gets (LoadOptions.defaultProvider). */
  defaultProvider?: TrafficProviderName;
  /** Every document with a kind and name, by objectKey(group, kind, namespace, name). */
  objects: Map<string, ParsedDocument>;
}

/** The key of a document in CompatContext.objects; group is the apiVersion's group ("" for core). */
export function objectKey(group: string, kind: string, namespace: string, name: string): string {
  return `${group}|${kind}|${namespace}|${name}`;
}

/** The group of an apiVersion: "apps" of "apps/v1", "" of "v1". */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
}

/** The document of kind and name in a group and namespace, from the files read together. */
export function findObject(
  ctx: CompatContext,
  group: string,
  kind: string,
  namespace: string,
  name: string,
): ParsedDocument | undefined {
  return ctx.objects.get(objectKey(group, kind, namespace, name));
}

/** Converts one document, recording objects and issues on the conversion. */
export type Converter = (c: Conversion, ctx: CompatContext) => void;

/** Namespace used when metadata.namespace is not set. */
export const defaultNamespace = 'default';

/** A string field of an object, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A list field, or an empty list. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Kubernetes integer seconds as a Sluice duration ("600s"); strings such as "30s" pass through. */
export function seconds(value: unknown): unknown {
  return typeof value === 'number' ? `${value}s` : value;
}
