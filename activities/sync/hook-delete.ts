import { type ResourceRef, refString } from '../../core/resource-ref.js';
import type { ObjectApi } from '../kube/object-api.js';
import { TRACKING_ANNOTATION } from './annotations.js';
import { type Owner, readLive, trackingId } from './apply.js';
import type { PruneResult } from './prune.js';

/**
 * Deletes hooks after they ran (HookSucceeded, HookFailed): only objects that carry this application's
 * tracking id, so a hook named like another team's object never deletes it. Retry-safe: an object already
 * gone counts as deleted. Background propagation: a Job's pods go with it without holding the sync up.
 */
export async function deleteHookObjects(
  api: ObjectApi,
  owner: Owner,
  refs: ResourceRef[],
): Promise<PruneResult> {
  const result: PruneResult = { deleted: [], kept: [] };
  for (const ref of refs) {
    const live = await readLive(api, ref);
    if (!live) {
      result.deleted.push(ref);
      continue;
    }
    const tracked = live.metadata?.annotations?.[TRACKING_ANNOTATION];
    if (tracked !== trackingId(owner)) {
      result.kept.push({ ref, reason: `${refString(ref)} is tracked by "${tracked ?? 'nobody'}"` });
      continue;
    }
    await api
      .delete(live, undefined, undefined, undefined, undefined, 'Background')
      .catch((err: { code?: number }) => {
        if (err.code !== 404) throw err;
      });
    result.deleted.push(ref);
  }
  return result;
}
