import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import type { IgnoreDifference } from '../../core/diff/types.js';
import type { NonRetryableErrorType } from '../../core/errors.js';
import { type AppIdentity, trackingId } from '../../core/identity.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { ApplyResult, ResourceSyncStatus } from '../../core/sync/types.js';
import { ruleMatches } from '../diff/ignore-differences.js';
import { removeJsonPointer } from '../diff/json-pointer.js';
import { FIELD_MANAGER } from '../kube/apply.js';
import type { ObjectApi } from '../kube/object-api.js';
import { readLive } from '../kube/read-live.js';
import { APP_LABEL, APPLIED_HASH_ANNOTATION, TRACKING_ANNOTATION } from './annotations.js';
import { inKindOrder } from './kind-order.js';
import { compareLive, manifestHash } from './live-compare.js';
import { type LiveView, liveObject } from './live-view.js';
import { parseObjectSyncOptions } from './object-sync-options.js';

/** An object to apply is tracked by another application, or exists untracked and the sync may not adopt it. */
export class SharedResourceError extends Error {
  override name = 'SharedResourceError' satisfies NonRetryableErrorType;
}

/**
 * Refuses to write over an object the owner did not create: one another application tracks (never taken
 * over), or one without a tracking id unless the application opts in with AdoptExisting=true. Without
 * this, an application could adopt and later prune anything its Project lets it name (kube-system/coredns).
 */
export function checkOwnership(live: KubernetesObject | undefined, owner: Owner, adopt: boolean): void {
  if (!live) return;
  const tracked = live.metadata?.annotations?.[TRACKING_ANNOTATION];
  const ours = trackingId(owner);
  if (tracked === ours) return;
  const what = `${live.kind} ${live.metadata?.namespace ? `${live.metadata.namespace}/` : ''}${live.metadata?.name}`;
  if (tracked)
    throw new SharedResourceError(
      `${what} is tracked by application ${tracked}, not ${ours}: an application never takes over another's objects (remove it from the other application first)`,
    );
  if (!adopt)
    throw new SharedResourceError(
      `${what} already exists and was not created by Sluice: add syncOptions AdoptExisting=true to take it over (and manage, and later prune, it), or delete it`,
    );
}

/** Who owns the objects: the application, its repository and its Project. */
export type Owner = AppIdentity;

export { trackingId };

/** The desired object as Sluice applies it: owner label, tracking annotation and manifest hash added. */
export function withTracking(obj: KubernetesObject, owner: Owner): KubernetesObject {
  const metadata = obj.metadata ?? {};
  const tracked: KubernetesObject = {
    ...obj,
    metadata: {
      ...metadata,
      labels: { ...metadata.labels, [APP_LABEL]: owner.app },
      annotations: { ...metadata.annotations, [TRACKING_ANNOTATION]: trackingId(owner) },
    },
  };
  const hash = manifestHash(tracked);
  tracked.metadata = {
    ...tracked.metadata,
    annotations: { ...tracked.metadata?.annotations, [APPLIED_HASH_ANNOTATION]: hash },
  };
  return tracked;
}

export { readLive } from '../kube/read-live.js';

/** Runs fn over items with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * Server-side applies objects (field manager `sluice`, forced), skipping those already Synced: a no-op sync
 * makes reads only. Kinds go in Argo CD's order (kind-order.ts), the objects of one kind in parallel. Hooks
 * with the BeforeHookCreation policy (`recreate`) are deleted and created again, since Jobs cannot be updated
 * in place; hooks without it (`createOnly`) are created once and then left as they are, as Argo CD does.
 * Per-object annotations: Flux's ssa IfNotPresent creates only, ssa Ignore never writes, Argo CD's
 * Replace=true replaces the whole object (Force=true: deletes and creates it). Idempotent: a retry re-applies
 * the same manifests.
 */
export async function applyObjects(
  api: ObjectApi,
  objects: KubernetesObject[],
  owner: Owner,
  opts: {
    concurrency?: number;
    dryRun?: boolean;
    recreate?: boolean;
    /** Create what is absent and leave what exists as it is (hooks without BeforeHookCreation). */
    createOnly?: boolean;
    /** Take over objects that exist without a tracking id (AdoptExisting=true). */
    adopt?: boolean;
    keepLive?: IgnoreDifference[];
    /** The cluster's live-state cache: objects it holds need no read before the apply. */
    live?: LiveView;
  } = {},
): Promise<ApplyResult> {
  const applyOne = async (obj: KubernetesObject): Promise<ApplyResult['applied'][number]> => {
    let desired = withTracking(obj, owner);
    const ref: ResourceRef = {
      apiVersion: obj.apiVersion ?? '',
      kind: obj.kind ?? '',
      namespace: obj.metadata?.namespace,
      name: obj.metadata?.name ?? '',
    };
    const own = parseObjectSyncOptions(obj.metadata?.annotations).options;
    // An object the cache does not hold may still exist without Sluice's label: read it, for the ownership check.
    const live = await liveObject(api, opts.live, ref, 'read');
    // Nothing is written to these, so nothing is taken over: prune and hook deletion still check the tracking id.
    if (own.ignore || parseObjectSyncOptions(live?.metadata?.annotations).options.ignore)
      return { ref, status: compareLive(desired, live), changed: false };
    if (live && (own.ifNotPresent || opts.createOnly)) return { ref, status: 'Synced', changed: false };
    checkOwnership(live, owner, opts.adopt ?? false);
    // Fields another controller drives (a rollout target's replicas) are set at creation only.
    if (live) desired = withoutKeptFields(desired, opts.keepLive ?? []);
    const status: ResourceSyncStatus = compareLive(desired, live);
    if (status === 'Synced' && !opts.recreate) return { ref, status, changed: false };
    if (opts.dryRun) return { ref, status, changed: true };
    if ((opts.recreate || own.force) && live) {
      await api
        .delete(live, undefined, undefined, 0, undefined, 'Foreground')
        .catch((err: { code?: number }) => {
          if (err.code !== 404) throw err;
        });
      await waitGone(api, ref);
    }
    const written = own.replace
      ? await replaceObject(api, desired, live)
      : await serverSideApply(api, desired);
    // The cache learns our write now, so a health wait right after it does not see the object as before.
    opts.live?.observe(written);
    return { ref, status, changed: true };
  };
  const applied: ApplyResult['applied'] = [];
  for (const group of inKindOrder(objects))
    applied.push(...(await mapLimit(group, opts.concurrency ?? 8, applyOne)));
  return { applied };
}

const serverSideApply = (api: ObjectApi, desired: KubernetesObject) =>
  api.patch(desired, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);

/** Replace=true: a PUT of the whole object at the live resourceVersion (a create when it is absent or was just deleted). */
async function replaceObject(api: ObjectApi, desired: KubernetesObject, live: KubernetesObject | undefined) {
  const current = live && (await readLive(api, refOfObject(desired)));
  if (!current) return api.create(desired, undefined, undefined, FIELD_MANAGER);
  return api.replace(
    { ...desired, metadata: { ...desired.metadata, resourceVersion: current.metadata?.resourceVersion } },
    undefined,
    undefined,
    FIELD_MANAGER,
  );
}

const refOfObject = (o: KubernetesObject): ResourceRef => ({
  apiVersion: o.apiVersion ?? '',
  kind: o.kind ?? '',
  namespace: o.metadata?.namespace,
  name: o.metadata?.name ?? '',
});

async function waitGone(api: ObjectApi, ref: ResourceRef): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (!(await readLive(api, ref))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${ref.kind} ${ref.name} was deleted but is still there after 30s (a finalizer?)`);
}

/** The object without the JSON pointers of the keepLive rules that match it. */
function withoutKeptFields(obj: KubernetesObject, rules: IgnoreDifference[]): KubernetesObject {
  const matching = rules.filter((r) => ruleMatches(r, obj));
  if (matching.length === 0) return obj;
  const copy = structuredClone(obj);
  for (const rule of matching)
    for (const pointer of rule.jsonPointers ?? []) removeJsonPointer(copy, pointer);
  return copy;
}
