// What happens to an Application's objects when it is removed from Git. With automated prune on (as
// Flux's prune, or Argo CD's resources finalizer) they are deleted: its rollout is stopped, then what
// the rollout machinery made, then everything it applied (objects annotated sluice.dev/prune: "false"
// or now tracked by another application stay). Without prune they are left in place, as Argo CD does
// for an Application deleted without its finalizer.
import { isCancellation, log } from '@temporalio/workflow';
import { type ResourceRef, refString } from '../../core/resource-ref.js';
import { activities, removalCall } from '../activity-options.js';
import { clusterTaskQueue } from '../shared/cluster-queue.js';
import { failureMessage } from '../shared/failure-message.js';
import { type DesiredApplication, ownerOf } from './messages.js';
import { type AppSpec, syncOptions } from './policy.js';
import { type RolloutMemory, rolloutTarget } from './rollout-runner.js';

/** What removal did, for the application's final status. */
export interface RemovalSummary {
  /** "deleted" (prune on) or "orphaned" (prune off: the objects are left as they are). */
  mode: 'deleted' | 'orphaned';
  deleted: string[];
  kept: string[];
  message: string;
  /** Set when deleting failed after its retries: what is listed was deleted, the rest is still there. */
  error?: string;
}

/** Deletes (prune on) or leaves (prune off, or preserved) what a removed Application owns; answers what it did. */
export async function removeApplicationObjects(
  desired: DesiredApplication,
  inventory: ResourceRef[],
  rollouts: RolloutMemory | undefined,
  reason: string,
  /** Leave the objects whatever prune says (the generating ApplicationSet's preserveResourcesOnDeletion). */
  preserve = false,
): Promise<RemovalSummary> {
  const spec = desired.spec as unknown as AppSpec;
  const options = syncOptions(spec);
  const target = rolloutTarget(desired);
  if (preserve) {
    const message = `${reason}: its ApplicationSet preserves resources on deletion, so its ${inventory.length} object(s) are left in place`;
    log.info(message);
    return { mode: 'orphaned', deleted: [], kept: inventory.map(refString), message };
  }
  if (!options.prune) {
    const message = `${reason}: automated prune is off, so its ${inventory.length} object(s) are left in place`;
    log.info(message);
    return { mode: 'orphaned', deleted: [], kept: inventory.map(refString), message };
  }
  const queue = clusterTaskQueue(spec.destination.cluster);
  const owner = ownerOf(desired);
  const act = (summary: string) =>
    activities(removalCall, { summary, ...(queue ? { taskQueue: queue } : {}) });
  const deleted: string[] = [];
  const kept: string[] = [];
  try {
    // The rollout first, so it does not re-create what is deleted below.
    if (rollouts?.running && rollouts.current) {
      await act(`stop rollout ${rollouts.current.workflowId}`).terminateRollout({
        workflowId: rollouts.current.workflowId,
        reason: `application ${desired.name} removed: ${reason}`,
      });
      rollouts.running = false;
    }
    if (target) {
      const r = await act(`delete what rollout ${target.rollout} made`).deleteRolloutObjects({
        target,
        owner,
      });
      deleted.push(...r.deleted);
      kept.push(...r.kept);
    }
    if (inventory.length > 0) {
      const p = await act(`delete ${inventory.length} object(s) of ${desired.name}`).pruneResources({
        owner,
        previous: inventory,
        desired: [],
        propagationPolicy: options.prunePropagationPolicy,
        removal: true,
      });
      deleted.push(...p.deleted.map(refString));
      kept.push(...p.kept.map((k) => `${refString(k.ref)} (${k.reason})`));
    }
  } catch (err) {
    if (isCancellation(err)) throw err;
    // The Application is gone from Git either way: say what is left instead of failing its workflow.
    const error = failureMessage(err);
    const message = `${reason}: deleting its objects failed after retries (${error}); ${deleted.length} deleted — delete the rest by hand, or add the Application back and remove it again`;
    log.error(message, { deleted, kept });
    return { mode: 'deleted', deleted, kept, message, error };
  }
  const message = `${reason}: deleted ${deleted.length} object(s)${kept.length ? `, kept ${kept.length}` : ''}`;
  log.info(message, { deleted, kept });
  return { mode: 'deleted', deleted, kept, message };
}
