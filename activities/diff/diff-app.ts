import type { KubernetesObject } from '@kubernetes/client-node';
import type { ApplicationDiff, AppResourceDiff, IgnoreDifference } from '../../core/diff/types.js';
import { type ResourceRef, refString } from '../../core/resource-ref.js';
import type { ObjectApi } from '../kube/object-api.js';
import { hookType, TRACKING_ANNOTATION } from '../sync/annotations.js';
import { mapLimit, type Owner, readLive, trackingId, withTracking } from '../sync/apply.js';
import { sameObject } from '../sync/prune.js';
import { diffResource } from './diff-resource.js';
import { predictApply } from './dry-run.js';
import { validateIgnoreRules } from './ignore-differences.js';
import { maskSecretData } from './mask-secrets.js';
import { normalize } from './normalize.js';
import { refOf } from './ref.js';
import { bound, type DiffFormatOptions, unifiedDiff } from './unified-diff.js';

/** Options of diffApplication. */
export interface DiffApplicationOptions {
  /** Objects the application applied before (its inventory): candidates for Extraneous. */
  inventory?: ResourceRef[];
  /** More candidates for Extraneous, for callers that can find them another way. */
  listExtraneous?: (owner: Owner) => Promise<ResourceRef[]>;
  /** Objects read and dry-run at once (default 8). */
  concurrency?: number;
  /** How each object's diff is laid out and bounded. */
  format?: DiffFormatOptions;
  /** Lines of diff kept over the whole application (default 5000), so the result fits in a Temporal payload. */
  maxTotalLines?: number;
}

/**
 * Diffs an application (reads and dry runs only): each desired object, tracked as the sync would
 * apply it, is Synced, OutOfSync or Missing; each candidate from the inventory that is no longer
 * desired but still carries this application's tracking id is Extraneous. Hooks are left out, as
 * Argo CD does: they are recreated on every sync, so their live state says nothing about drift.
 */
export async function diffApplication(
  api: ObjectApi,
  desired: KubernetesObject[],
  owner: Owner,
  rules: IgnoreDifference[],
  opts: DiffApplicationOptions = {},
): Promise<ApplicationDiff> {
  validateIgnoreRules(rules);
  const concurrency = opts.concurrency ?? 8;
  const objects = desired.filter((o) => hookType(o) === undefined);
  const wanted = await mapLimit(objects, concurrency, async (obj): Promise<AppResourceDiff> => {
    const tracked = withTracking(obj, owner);
    const ref = refOf(tracked);
    const [predicted, live] = await Promise.all([predictApply(api, tracked), readLive(api, ref)]);
    return { ref, ...diffResource(tracked, predicted, live, rules, opts.format) };
  });

  const candidates = [...(opts.inventory ?? []), ...((await opts.listExtraneous?.(owner)) ?? [])].filter(
    (ref, i, all) =>
      !desired.some((o) => sameObject(refOf(o), ref)) && all.findIndex((r) => sameObject(r, ref)) === i,
  );
  const extraneous = await mapLimit(candidates, concurrency, async (ref) => {
    const live = await readLive(api, ref);
    // Only objects still tracked by this application: another app may have adopted it since.
    if (live?.metadata?.annotations?.[TRACKING_ANNOTATION] !== trackingId(owner)) return undefined;
    const current = normalize(live);
    maskSecretData(current, undefined);
    return {
      ref,
      status: 'Extraneous' as const,
      diff: unifiedDiff(refString(ref), current, undefined, opts.format),
    };
  });
  const resources = [...wanted, ...extraneous.filter((r) => r !== undefined)];
  return { resources: capTotal(resources, opts.maxTotalLines ?? 5_000) };
}

/** Cuts diffs once `maxLines` lines have been kept over all resources (a cut one ends in a marker line); statuses are untouched. */
function capTotal(resources: AppResourceDiff[], maxLines: number): AppResourceDiff[] {
  let left = maxLines;
  return resources.map((r) => {
    if (!r.diff) return r;
    const lines = r.diff.split('\n').length - 1;
    const diff =
      left > 0
        ? bound(r.diff, left, Number.POSITIVE_INFINITY)
        : `… diff left out: the application's diff passed ${maxLines} lines\n`;
    left = Math.max(0, left - lines);
    return { ...r, diff };
  });
}
