// What an application does when its live objects change (a liveChanged signal from the worker's live-state cache,
// or the periodic refresh): assess health and drift from the cache in one activity, then heal, alert, or record.
import { log, sleep } from '@temporalio/workflow';
import type { AppLiveState } from '../../activities/sync/composed.js';
import type { HealthCode } from '../../core/health/health.js';
import { refString } from '../../core/resource-ref.js';
import { activities, driftCompare } from '../activity-options.js';
import { clusterTaskQueue } from '../shared/cluster-queue.js';
import { driftMetrics } from '../shared/drift-metrics.js';
import { durationMs } from '../shared/duration.js';
import { workflowNow } from '../shared/workflow-time.js';
import { ownerOf, type ResourceStatus } from './messages.js';
import { renderRequest, syncOptions } from './policy.js';
import type { ApplicationRun } from './state.js';
import { isSuspended } from './suspension.js';

/** What the live checks remember across continue-as-new. */
export interface LiveMemory {
  /** The drift being reported (self-heal off): alerted once, cleared when the objects match Git again. */
  drift?: { refs: string[] };
  /** When self-heal last re-applied (workflow time, ms): the next heal waits out selfHealDelay from it. */
  lastHealAt?: number;
}

/** Assesses the synced objects' health and drift now, and acts: self-heal, an alert once per drift, or health alerts. */
export async function checkLive(app: ApplicationRun): Promise<void> {
  const { state } = app;
  const spec = app.spec();
  if (!state.syncedRevision) return; // nothing synced yet: the first sync assesses health
  const cluster = spec.destination.cluster ?? 'in-cluster';
  const live = activities(driftCompare, {
    taskQueue: clusterTaskQueue(spec.destination.cluster),
    summary: 'live state: health and drift',
  });
  const seen: AppLiveState = await live.appLiveState({
    request: renderRequest(app.desired.name, spec, state.syncedRevision),
    owner: ownerOf(app.desired),
    ignoreDifferences: app.ignored(),
    inventory: state.inventory,
    health: syncOptions(spec).health,
  });
  recordHealth(app, seen);
  app.resources = resourceRows(seen);
  const automated = spec.syncPolicy?.automated;
  // Extraneous objects are drift only when the sync would prune them.
  const drifted = seen.drifted.filter((d) => d.status !== 'Extraneous' || automated?.prune);
  const memory = state.live as LiveMemory;
  if (drifted.length === 0) {
    memory.drift = undefined;
    if (state.syncStatus === 'OutOfSync' && !app.stale()) state.syncStatus = 'Synced';
    return;
  }
  state.syncStatus = 'OutOfSync';
  const refs = drifted.map((d) => refString(d.ref));
  // Suspended: the drift is most likely the hotfix it was suspended for; shown as OutOfSync, not healed or alerted.
  if (isSuspended(state)) return;
  if (automated?.selfHeal && state.heldAt === undefined) {
    driftMetrics.detected(cluster);
    // selfHealDelay is the least time between two heals, like Argo CD's selfHealTimeout: a controller fighting
    // Sluice over a field is answered at that pace, not in a tight loop.
    const wait = (memory.lastHealAt ?? 0) + durationMs(automated.selfHealDelay ?? '5s') - workflowNow();
    if (wait > 0) await sleep(wait);
    // A newer commit or spec arrived meanwhile (or a sync ran): healing back to the older revision would undo it.
    // The loop's refresh syncs the new one, which heals too.
    const revision = state.syncedRevision;
    if (app.stale() || app.wake || revision === undefined || isSuspended(state)) return;
    memory.lastHealAt = workflowNow();
    log.info('drift detected; healing', { objects: refs.length });
    const result = await app.autoSync(revision, { healing: refs });
    if (result?.phase === 'Succeeded') driftMetrics.healed(cluster);
    return;
  }
  if (memory.drift) return; // already announced: once per drift, not per event
  memory.drift = { refs };
  driftMetrics.detected(cluster);
  log.info('drift detected; self-heal is off', { objects: refs.length });
  app.alerts.drifted(state.syncedRevision, refs);
}

/** Each object's sync and health, for the status query: the healthy-checked ones, then the extraneous. */
function resourceRows(seen: AppLiveState): ResourceStatus[] {
  const drift = new Map(seen.drifted.map((d) => [refString(d.ref), d.status]));
  const rows: ResourceStatus[] = seen.health.resources.map((r) => ({
    ref: r.ref,
    sync: drift.get(refString(r.ref)) ?? 'Synced',
    health: r.status,
    ...(r.message ? { message: r.message } : {}),
  }));
  const listed = new Set(rows.map((r) => refString(r.ref)));
  for (const d of seen.drifted)
    if (!listed.has(refString(d.ref))) rows.push({ ref: d.ref, sync: d.status, health: 'Unknown' });
  return rows;
}

/** Keeps the application's health current and announces Degraded and recovered transitions. */
function recordHealth(app: ApplicationRun, seen: AppLiveState): void {
  const { state } = app;
  const before: HealthCode = state.health;
  const now = seen.health.status;
  state.health = now;
  const revision = state.syncedRevision as string;
  if (now === 'Degraded' && before !== 'Degraded') {
    const bad = seen.health.resources
      .filter((r) => r.status === 'Degraded')
      .map((r) => `${refString(r.ref)}: ${r.message ?? 'Degraded'}`);
    app.alerts.degraded(revision, bad.join('; '));
  } else if (before === 'Degraded' && now === 'Healthy') {
    app.alerts.recovered(revision);
  }
}
