import type { KubernetesObject } from '@kubernetes/client-node';
import type { AppResourceDiff, IgnoreDifference } from '../../core/diff/types.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import { diffApplication } from '../diff/diff-app.js';
import { foreignFieldOwners } from '../diff/foreign-writes.js';
import { refOf } from '../diff/ref.js';
import { beat, whileBeating } from '../keep-alive.js';
import type { ObjectApi } from '../kube/object-api.js';
import { APPLIED_HASH_ANNOTATION, hookType } from './annotations.js';
import { type Owner, withTracking } from './apply.js';
import { isSubset } from './live-compare.js';
import { type LiveView, liveObject } from './live-view.js';
import { leftAsIs } from './object-sync-options.js';
import { sameObject } from './prune.js';

/** How one object compares without a dry run: Synced, or a suspect only a server-side dry run can decide. */
export function quickCompare(
  desired: KubernetesObject,
  live: KubernetesObject | undefined,
  rules: IgnoreDifference[],
): 'Synced' | 'suspect' {
  if (!live) return 'suspect';
  const hash = (o: KubernetesObject) => o.metadata?.annotations?.[APPLIED_HASH_ANNOTATION];
  if (hash(live) !== hash(desired)) return 'suspect'; // a different manifest was applied last
  if (isSubset(desired, live)) return 'Synced';
  // A field Sluice set is gone: someone removed it (defaulting adds and normalises, it never removes).
  if (!sameShape(desired, live)) return 'suspect';
  // Every field is there but some value reads differently: a foreign write, or only the API server's defaulting
  // and normalisation (`cpu: 1000m` is stored as `1`). managedFields tell them apart (diff/foreign-writes.ts).
  return foreignFieldOwners(live, desired, rules)?.length === 0 ? 'Synced' : 'suspect';
}

/** Whether every key the desired value sets is present live (lists of the same length); values are not compared. */
export function sameShape(desired: unknown, live: unknown): boolean {
  if (desired === null || desired === undefined) return true; // a null is dropped by the server
  if (Array.isArray(desired)) {
    if (desired.length === 0) return true;
    return (
      Array.isArray(live) && live.length === desired.length && desired.every((d, i) => sameShape(d, live[i]))
    );
  }
  if (typeof desired === 'object') {
    const entries = Object.entries(desired as Record<string, unknown>);
    if (entries.length === 0) return true;
    if (!live || typeof live !== 'object' || Array.isArray(live)) return false;
    const l = live as Record<string, unknown>;
    return entries.every(([k, v]) => (k in l ? sameShape(v, l[k]) : droppable(v)));
  }
  return live !== undefined;
}

// What the API server may leave out of a stored object: nulls and empty maps and lists.
function droppable(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/**
 * Compares an application's rendered objects with the live cluster. Objects the cluster's live-state cache holds
 * are compared without a request: Synced when the same manifest was applied and every value matches, or when
 * only defaulting differs and no other field manager owns a field Sluice sets. The rest (missing, changed in Git,
 * or written by someone else) get a server-side dry-run diff, which honours ignoreDifferences. Inventory objects
 * no longer rendered but still tracked by the application are Extraneous.
 */
export async function compareApplication(
  deps: { api: ObjectApi; live?: LiveView },
  rendered: KubernetesObject[],
  owner: Owner,
  rules: IgnoreDifference[],
  inventory: ResourceRef[],
): Promise<AppResourceDiff[]> {
  const objects = rendered.filter((o) => hookType(o) === undefined);
  const synced: AppResourceDiff[] = [];
  const suspect: KubernetesObject[] = [];
  for (const [i, o] of objects.entries()) {
    beat({ compared: i, of: objects.length });
    const ref = refOf(o);
    const live = await liveObject(deps.api, deps.live, ref, 'absent');
    if (leftAsIs(o, live) || quickCompare(withTracking(o, owner), live, rules) === 'Synced')
      synced.push({ ref, status: 'Synced', diff: '' });
    else suspect.push(o);
  }
  // Only inventory objects that are no longer rendered at all can be Extraneous; one the cache shows gone is.
  const candidates = inventory.filter((r) => !objects.some((o) => sameObject(r, refOf(o))));
  const gone = (r: ResourceRef) => {
    const cached = deps.live?.get(r);
    return cached?.synced === true && cached.object === undefined;
  };
  if (suspect.length === 0 && candidates.every(gone)) return synced;
  const diffed = await whileBeating({ dryRunDiffs: suspect.length }, () =>
    diffApplication(deps.api, suspect, owner, rules, { inventory: candidates.filter((r) => !gone(r)) }),
  );
  return [...synced, ...diffed.resources];
}
