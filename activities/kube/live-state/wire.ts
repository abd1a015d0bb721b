import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceRef } from '../../../core/resource-ref.js';
import type { WatchedKind } from './types.js';

/** The API group of an apiVersion ("" for the core group). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
}

/** A kind's name across its versions, as metrics and logs show it: "apps/Deployment", "ConfigMap". */
export function kindName(kind: WatchedKind): string {
  const group = groupOf(kind.apiVersion);
  return group ? `${group}/${kind.kind}` : kind.kind;
}

/** Where an object sits in a kind's store. */
export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** The reference of a cached object (in the version the cache watches its kind). */
export function refOf(kind: WatchedKind, obj: KubernetesObject): ResourceRef {
  const ns = obj.metadata?.namespace;
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    ...(ns ? { namespace: ns } : {}),
    name: obj.metadata?.name ?? '',
  };
}

/**
 * An object in the API server's JSON form, as watches deliver it. A write's response from the generated clients
 * holds model instances whose timestamps are Dates; a JSON round trip turns them back into RFC 3339 strings.
 * (Model classes also rename a few CRD-schema fields, e.g. `x-kubernetes-*`; pass raw objects for CRDs.)
 */
export function toWire(obj: KubernetesObject): KubernetesObject {
  return JSON.parse(
    JSON.stringify(obj, function (this: Record<string, unknown>, key, value) {
      const raw = this[key];
      return raw instanceof Date ? raw.toISOString().replace(/\.\d{3}Z$/, 'Z') : value;
    }),
  ) as KubernetesObject;
}
