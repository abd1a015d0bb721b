// Deleting what the rollout machinery made for a Rollout (primary Deployment, Services, config and HPA
// copies, job metrics' leftover Jobs, the provider's routing objects) when its Application is removed from
// Git with prune on.
import { deleteObject, type KindSource, servedApiVersion } from '../../plugins/traffic/kube.js';
import type { TrafficProvider } from '../../plugins/traffic/types.js';
import { MissingKindError, type ObjectApi } from '../kube/object-api.js';
import { TRACKING_ANNOTATION } from '../sync/annotations.js';
import { type Owner, trackingId } from '../sync/apply.js';
import { listRolloutObjects } from './labelled.js';

/** The kinds the rollout machinery itself creates (besides the provider's). */
const MACHINERY_KINDS: KindSource[] = [
  { group: 'apps', kind: 'Deployment', versions: ['v1'], crd: 'built in' },
  { group: '', kind: 'Service', versions: ['v1'], crd: 'built in' },
  { group: '', kind: 'ConfigMap', versions: ['v1'], crd: 'built in' },
  { group: '', kind: 'Secret', versions: ['v1'], crd: 'built in' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler', versions: ['v2'], crd: 'built in' },
  // A job metric's Job outlives its check only when the analysis activity died and was never retried.
  { group: 'batch', kind: 'Job', versions: ['v1'], crd: 'built in' },
];

/** What removal did: objects deleted, and objects left because another application tracks them. */
export interface RemovalResult {
  deleted: string[];
  kept: string[];
}

/**
 * Deletes every object labelled sluice.dev/rollout=<rollout> in the namespace, of the machinery's kinds and
 * the provider's. Idempotent (a missing object or kind is fine); objects another application tracks stay.
 */
export async function deleteRolloutObjects(
  api: ObjectApi,
  provider: TrafficProvider,
  target: { rollout: string; namespace: string },
  owner: Owner,
): Promise<RemovalResult> {
  const result: RemovalResult = { deleted: [], kept: [] };
  for (const source of [...MACHINERY_KINDS, ...provider.ownedKinds]) {
    const apiVersion = source.group
      ? await servedApiVersion(api, source).catch((err: unknown) => {
          if (err instanceof MissingKindError) return undefined; // its CRD is gone: nothing of it to delete
          throw err;
        })
      : 'v1';
    if (!apiVersion) continue;
    const items = await listRolloutObjects(api, apiVersion, source.kind, target.namespace, target.rollout);
    for (const item of items) {
      const name = `${source.kind} ${target.namespace}/${item.metadata?.name}`;
      const tracked = item.metadata?.annotations?.[TRACKING_ANNOTATION];
      if (tracked && tracked !== trackingId(owner)) {
        result.kept.push(`${name} (tracked by ${tracked})`);
        continue;
      }
      await deleteObject(api, apiVersion, source.kind, target.namespace, item.metadata?.name as string);
      result.deleted.push(name);
    }
  }
  return result;
}
