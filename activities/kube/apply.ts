import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';

/** Field manager for every server-side apply Sluice makes, so ownership is stable across retries. */
export const FIELD_MANAGER = 'sluice';

/** Reference to an applied object as the API server returned it. */
export interface AppliedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  resourceVersion?: string;
}

/**
 * Server-side applies each object with field manager `sluice` (force, as a controller should).
 * Idempotent: applying the same objects again is a no-op, so a retried activity is safe.
 */
export async function applyObjects(
  clients: KubeClients,
  objects: KubernetesObject[],
): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  for (const obj of objects) {
    const result = await clients.objects.patch(
      obj,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
    applied.push({
      apiVersion: result.apiVersion ?? obj.apiVersion ?? '',
      kind: result.kind ?? obj.kind ?? '',
      namespace: result.metadata?.namespace,
      name: result.metadata?.name ?? '',
      resourceVersion: result.metadata?.resourceVersion,
    });
  }
  return applied;
}
