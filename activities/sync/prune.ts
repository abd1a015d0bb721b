import { type ResourceRef, refKey, refString } from '../../core/resource-ref.js';
import type { ObjectApi } from '../kube/object-api.js';
import { PRUNE_ANNOTATION, TRACKING_ANNOTATION } from './annotations.js';
import { type Owner, readLive, trackingId } from './apply.js';
import { parseObjectSyncOptions } from './object-sync-options.js';

/** What prune did with each candidate. */
export interface PruneResult {
  deleted: ResourceRef[];
  /** Left alone, with the reason (annotated prune: "false", owned by another app, already gone). */
  kept: { ref: ResourceRef; reason: string }[];
}

/** Same object? (apiVersion may change between versions of a kind; group, kind, namespace and name identify it.) */
export function sameObject(a: ResourceRef, b: ResourceRef): boolean {
  return refKey(a) === refKey(b);
}

/**
 * Deletes objects the application applied before (its inventory) that are no longer rendered — only
 * when they still carry this application's tracking id and are not annotated to be kept: sluice.dev/prune:
 * "false" and Flux's prune: disabled always, Argo CD's Prune=false when pruning during a sync, its
 * Delete=false when the whole Application is removed (`removal`), as Argo CD distinguishes them.
 */
export async function pruneObjects(
  api: ObjectApi,
  owner: Owner,
  previous: ResourceRef[],
  desired: ResourceRef[],
  propagationPolicy: 'Foreground' | 'Background' | 'Orphan' = 'Foreground',
  removal = false,
): Promise<PruneResult> {
  const result: PruneResult = { deleted: [], kept: [] };
  for (const ref of previous) {
    if (desired.some((d) => sameObject(d, ref))) continue;
    const live = await readLive(api, ref);
    if (!live) {
      result.kept.push({ ref, reason: 'already gone' });
      continue;
    }
    const annotations = live.metadata?.annotations ?? {};
    if (annotations[TRACKING_ANNOTATION] !== trackingId(owner)) {
      result.kept.push({
        ref,
        reason: `${refString(ref)} is now tracked by "${annotations[TRACKING_ANNOTATION] ?? 'nobody'}"`,
      });
      continue;
    }
    if (annotations[PRUNE_ANNOTATION] === 'false') {
      result.kept.push({ ref, reason: `${PRUNE_ANNOTATION}: "false"` });
      continue;
    }
    const { options } = parseObjectSyncOptions(annotations);
    if (removal ? !options.deleteOnRemoval : !options.prune) {
      result.kept.push({
        ref,
        reason: removal ? 'annotated not to be deleted' : 'annotated not to be pruned',
      });
      continue;
    }
    await api
      .delete(live, undefined, undefined, undefined, undefined, propagationPolicy)
      .catch((err: { code?: number }) => {
        if (err.code !== 404) throw err;
      });
    result.deleted.push(ref);
  }
  return result;
}
