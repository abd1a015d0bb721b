import {
  ActivityFailure,
  type ActivityOptions,
  ApplicationFailure,
  patched,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Owner } from '../../activities/sync/apply.js';
import type { ResourcesHealth } from '../../activities/sync/health-wait.js';
import type { RenderRequest } from '../../activities/sync/render.js';
import type { AppResourceDiff, IgnoreDifference } from '../../core/diff/types.js';
import { aggregateHealth } from '../../core/health/aggregate.js';
import type { HealthCode, HealthOptions } from '../../core/health/health.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import { refKey, refString } from '../../core/resource-ref.js';
import { RunFailure } from '../../core/run-endings.js';
import type { ApplyResult, PlannedResource } from '../../core/sync/types.js';
import { activities, healthWait, render, syncStep } from '../activity-options.js';
import { clusterTaskQueue } from '../shared/cluster-queue.js';
import { endAsFailed } from '../shared/failed-ending.js';
import { failureMessage } from '../shared/failure-message.js';
import { workflowNow } from '../shared/workflow-time.js';
import { hookSteps } from './hook-steps.js';

/** How one sync behaves. */
export interface SyncOptions {
  prune: boolean;
  dryRun: boolean;
  createNamespace: boolean;
  /** Let a render with no objects prune everything the application owns. */
  allowEmpty: boolean;
  /** Longest wait for one wave (or hook) to become healthy, e.g. "5m". */
  healthTimeout: string;
  health?: Omit<HealthOptions, 'now'>;
  /** Take over objects that exist without Sluice's tracking id (an object another application tracks never is). */
  adoptExisting?: boolean;
  prunePropagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

/** Input of one sync: what to render, where, under which rules, and what the last sync left behind. */
export interface SyncInput {
  /** History id of this sync within its application (1, 2, 3…). */
  id: number;
  owner: Owner;
  request: RenderRequest;
  cluster: string;
  options: SyncOptions;
  /** Objects the application applied before (its inventory), for prune. */
  previousInventory: ResourceRef[];
  /** Differences that are not drift (Application.spec.ignoreDifferences), for dry runs. */
  ignoreDifferences?: IgnoreDifference[];
  /** Fields (JSON pointers) of existing objects the sync leaves as they are live, e.g. a rollout target's replicas. */
  keepLive?: IgnoreDifference[];
}

/** The history entry of a sync. */
export interface SyncResult {
  id: number;
  revision: string;
  startedAt: number;
  finishedAt: number;
  phase: 'Succeeded' | 'Failed';
  message: string;
  health: HealthCode;
  /** Objects whose live state changed (created or updated), as "group/Kind ns/name". */
  changed: string[];
  pruned: string[];
  /** What the application now owns: input for the next prune. */
  inventory: ResourceRef[];
  dryRun: boolean;
  /** For a dry run: each object's status and unified diff (live → desired). */
  diff?: AppResourceDiff[];
}

const byWave = (resources: PlannedResource[]) => {
  const waves = new Map<number, PlannedResource[]>();
  for (const r of resources) waves.set(r.wave, [...(waves.get(r.wave) ?? []), r]);
  return [...waves.entries()].sort(([a], [b]) => a - b);
};

/**
 * One sync of one application at one revision (`sync/<app>/<sha7>-<id>`): render → PreSync hooks →
 * waves in order, each applied and healthy before the next (Sync hooks with their wave) → PostSync
 * hooks → prune. A failed hook or wave stops the sync (nothing later is applied) and runs SyncFail
 * hooks. Every step is an idempotent activity: a worker killed mid-wave resumes the same step.
 */
export async function syncWorkflow(input: SyncInput): Promise<SyncResult> {
  const result = await runSync(input);
  // SluicePhase says how it ended in the UI's list; a failed sync fails its workflow, its result in the failure.
  if (patched('failed-is-red')) upsertSearchAttributes({ SluicePhase: [result.phase] });
  if (result.phase === 'Failed') endAsFailed(RunFailure.syncFailed, result.message, result);
  return result;
}

/** The steps of one sync, answering its history entry (Failed or Succeeded). */
async function runSync(input: SyncInput): Promise<SyncResult> {
  // Every step runs where the destination cluster's credentials are: its own task queue, if any.
  const queue = clusterTaskQueue(input.cluster);
  // Each call carries a one-line summary, so the Temporal UI reads like a log.
  const step = (summary: string, preset: ActivityOptions = syncStep) =>
    activities(preset, { summary, ...(queue ? { taskQueue: queue } : {}) });
  const started = workflowNow();
  const changed: string[] = [];
  const pruned: string[] = [];
  let inventory = input.previousInventory;
  let health: HealthCode = 'Healthy';
  const sha7 = input.request.revision.slice(0, 7);
  const result = (phase: SyncResult['phase'], message: string): SyncResult => ({
    id: input.id,
    revision: input.request.revision,
    startedAt: started,
    finishedAt: workflowNow(),
    phase,
    message,
    health,
    changed,
    pruned,
    inventory,
    dryRun: input.options.dryRun,
  });
  // Every apply (hooks included) first makes sure the destination namespace exists, when asked to.
  const base = {
    request: input.request,
    owner: input.owner,
    cluster: input.cluster,
    ...(input.options.createNamespace ? { createNamespace: input.request.namespace } : {}),
    ...(input.keepLive?.length ? { keepLive: input.keepLive } : {}),
  };
  const waitOpts = healthWait(input.options.healthTimeout);

  let plan: PlannedResource[];
  // Applied by the render step itself (a one-wave render without hooks): the wave below only waits for health.
  let appliedWithRender: ApplyResult['applied'] | undefined;
  // Their health right after that apply: when Healthy, the wave needs no wait step (a no-op resync's case).
  let healthAtApply: ResourcesHealth | undefined;
  try {
    const what = { request: input.request, cluster: input.cluster, owner: input.owner };
    if (!input.options.dryRun && patched('one-step-sync')) {
      const rendered = await step(`render and apply ${input.owner.app} at ${sha7}`, render).renderAndApply({
        ...what,
        ...(base.createNamespace ? { createNamespace: base.createNamespace } : {}),
        ...(base.keepLive ? { keepLive: base.keepLive } : {}),
        ...(input.options.adoptExisting ? { adopt: true } : {}),
        ...(patched('health-at-apply') ? { assessHealth: { health: input.options.health } } : {}),
      });
      plan = rendered.resources;
      appliedWithRender = rendered.applied;
      healthAtApply = rendered.health;
    } else {
      plan = (await step(`render ${input.owner.app} at ${sha7}`, render).renderApp(what)).resources;
    }
  } catch (err) {
    return result('Failed', `render failed: ${failureMessage(err)}`);
  }
  const normal = plan.filter((r) => !r.hook);
  if (normal.length === 0 && input.previousInventory.length > 0 && !input.options.allowEmpty) {
    return result(
      'Failed',
      `rendered no objects at ${sha7}; refusing to sync away the ${input.previousInventory.length} object(s) the application owns (set syncPolicy.automated.allowEmpty to allow it)`,
    );
  }

  if (input.options.dryRun) {
    const diff = await step(`diff ${input.owner.app} at ${sha7}`).compareApp({
      ...base,
      ignoreDifferences: input.ignoreDifferences,
      inventory: input.previousInventory,
    });
    const differing = diff.filter((d) => d.status !== 'Synced');
    changed.push(...differing.map((d) => `${refString(d.ref)} (${d.status})`));
    return {
      ...result('Succeeded', `dry run: ${differing.length} of ${diff.length} object(s) differ`),
      diff: differing,
    };
  }

  // Hooks apply by their delete policy (hook-steps.ts); histories from before replay the old steps.
  const policyHooks = patched('hook-delete-policies');
  const { applyHooks, deleteByPolicy } = hookSteps(step, base, input.owner);

  const runHooks = async (type: string): Promise<string | undefined> => {
    const planned = plan.filter((r) => r.hook === type);
    if (planned.length === 0) return undefined;
    // Hooks of one phase go wave by wave, as Argo CD runs them.
    const groups = policyHooks ? byWave(planned) : [[0, planned] as const];
    for (const [wave, group] of groups) {
      const refs = group.map((r) => r.ref);
      const label = groups.length > 1 ? `${type} hooks of wave ${wave}` : `${type} hooks`;
      const applied = policyHooks
        ? await applyHooks(label, group)
        : (await step(`${type} hooks (${refs.length})`).applyResources({ ...base, refs, recreate: true }))
            .applied;
      changed.push(...applied.filter((a) => a.changed || !policyHooks).map((a) => refString(a.ref)));
      const h = await step(`wait for ${label}`, waitOpts).waitResourcesHealthy({
        refs,
        health: input.options.health,
      });
      health = h.status;
      if (policyHooks) await deleteByPolicy(group, h);
      if (h.status !== 'Healthy') {
        const bad = h.resources
          .filter((r) => r.status !== 'Healthy')
          .map((r) => `${refString(r.ref)}: ${r.status}${r.message ? ` (${r.message})` : ''}`);
        return `${type} hook failed: ${bad.join('; ')}`;
      }
    }
    return undefined;
  };

  const fail = async (message: string) => {
    const syncFail = await runHooks('SyncFail').catch(
      (err) => `SyncFail hooks failed too: ${failureMessage(err)}`,
    );
    return result('Failed', syncFail ? `${message}; ${syncFail}` : message);
  };

  try {
    const pre = await runHooks('PreSync');
    if (pre) return await fail(pre);

    // ssa: Ignore in Git: never written, so neither awaited (absent: forever) nor owned.
    const owned = patched('ssa-ignore-not-owned') ? normal.filter((r) => !r.ignored) : normal;
    for (const [wave, resources] of byWave([...owned, ...plan.filter((r) => r.hook === 'Sync')])) {
      const label = wave === Number.MIN_SAFE_INTEGER ? 'namespaces and CRDs' : `wave ${wave}`;
      const plain = resources.filter((r) => !r.hook).map((r) => r.ref);
      const plannedHooks = resources.filter((r) => r.hook);
      const waveHooks = plannedHooks.map((r) => r.ref);
      if (appliedWithRender) {
        changed.push(...appliedWithRender.filter((a) => a.changed).map((a) => refString(a.ref)));
      } else if (plain.length > 0) {
        const applied = await step(`apply ${label}: ${plain.length} object(s)`).applyResources({
          ...base,
          refs: plain,
          adopt: input.options.adoptExisting,
        });
        changed.push(...applied.applied.filter((a) => a.changed).map((a) => refString(a.ref)));
      }
      if (waveHooks.length > 0 && policyHooks) await applyHooks(`Sync hooks of ${label}`, plannedHooks);
      else if (waveHooks.length > 0)
        await step(`Sync hooks of ${label}`).applyResources({ ...base, refs: waveHooks, recreate: true });
      const h =
        healthAtApply?.status === 'Healthy'
          ? healthAtApply
          : await step(`wait for ${label} to be healthy`, waitOpts).waitResourcesHealthy({
              refs: [...plain, ...waveHooks],
              health: input.options.health,
            });
      health = aggregateHealth([{ status: health }, { status: h.status }]);
      inventory = mergeInventory(inventory, plain);
      if (policyHooks && plannedHooks.length > 0) await deleteByPolicy(plannedHooks, h);
      if (h.status === 'Degraded') {
        const bad = h.resources
          .filter((r) => r.status === 'Degraded')
          .map((r) => `${refString(r.ref)}: ${r.message ?? 'Degraded'}`);
        return await fail(`${label} is Degraded: ${bad.join('; ')}`);
      }
    }

    const post = await runHooks('PostSync');
    if (post) return await fail(post);

    const desired = normal.map((r) => r.ref);
    // Prune only when something is left to prune: a first sync, or one that removed nothing, skips the round trip.
    const stale = inventory.filter((r) => !desired.some((d) => refKey(d) === refKey(r)));
    if (input.options.prune && stale.length > 0) {
      const p = await step(`prune ${input.owner.app}: ${stale.length} candidate(s)`).pruneResources({
        owner: input.owner,
        previous: stale,
        desired,
        propagationPolicy: input.options.prunePropagationPolicy,
      });
      pruned.push(...p.deleted.map(refString));
    }
    // What prune kept (annotated prune: "false", or owned by someone else) is no longer ours to track.
    if (input.options.prune) inventory = owned.map((r) => r.ref);
    // Health is what the waves settled at (each waited until Healthy, Suspended or Degraded).
    return result(
      'Succeeded',
      `synced ${desired.length} object(s) at ${sha7}: ${changed.length} changed, ${pruned.length} pruned`,
    );
  } catch (err) {
    if (err instanceof ApplicationFailure || err instanceof ActivityFailure) return fail(failureMessage(err));
    throw err;
  }
}

/** The inventory after applying `applied`: everything previously owned plus the new objects, once each. */
function mergeInventory(previous: ResourceRef[], applied: ResourceRef[]): ResourceRef[] {
  const out = new Map(previous.map((r) => [refKey(r), r]));
  for (const r of applied) out.set(refKey(r), r);
  return [...out.values()];
}

export { syncWorkflowId } from '../../core/workflow-ids.js';

/** This sync's own workflow id, for messages. */
export function currentSyncId(): string {
  return workflowInfo().workflowId;
}
