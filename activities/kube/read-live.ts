import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { ObjectApi } from './object-api.js';

/** Reads the live object from the API server, or undefined when it does not exist. */
export async function readLive(api: ObjectApi, ref: ResourceRef): Promise<KubernetesObject | undefined> {
  try {
    return await api.read({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
    });
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}
