import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceRef } from '../../core/resource-ref.js';

/** The reference naming an object. */
export function refOf(obj: KubernetesObject): ResourceRef {
  return {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    namespace: obj.metadata?.namespace,
    name: obj.metadata?.name ?? '',
  };
}

/** The API group of an object's apiVersion ("" for the core group). */
export function groupOf(apiVersion: string | undefined): string {
  return apiVersion?.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
}
