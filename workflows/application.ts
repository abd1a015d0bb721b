import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { nonRetryableErrorTypes } from '../activities/errors.js';
import type { HealthCode } from '../activities/health/health.js';
import type { SluiceActivities } from '../activities/index.js';
import { type ResourceRef, refString } from '../activities/sync/types.js';
import { runStatus } from '../core/run-endings.js';
import type { AlertState } from './alerts.js';
import { ApplicationAlerts, applicationAlertState, type SyncCause } from './application-alerts.js';
import {
  type ApplicationStatus,
  applicationStatusQuery,
  applicationStopSignal,
  applicationUpdateSignal,
  type DesiredApplication,
  historyQuery,
  ownerOf,
  refreshSignal,
  rollbackUpdate,
  type SyncRequest,
  syncUpdate,
} from './application-messages.js';
import { type AppSpec, renderRequest, retryDelayMs, syncOptions } from './application-policy.js';
import { type RemovalSummary, removeApplicationObjects } from './application-removal.js';
import { type RolloutMemory, RolloutRunner, rolloutKeepLive } from './application-rollout.js';
import { clusterTaskQueue } from './cluster-queue.js';
import { durationMs } from './duration.js';
import { failureMessage } from './failure-message.js';
import { SluiceApp, SluiceKind, SluiceRevision } from './search-attributes.js';
import { stableHash } from './stable-hash.js';
import { type SyncResult, syncWorkflow, syncWorkflowId } from './sync.js';

export * from './application-messages.js';

/** State carried across continue-as-new. */
export interface ApplicationState {
  updates: number;
  nextSyncId: number;
  /** The most recent syncs, newest last; older ones stay findable in Temporal visibility. */
  history: SyncResult[];
  inventory: ResourceRef[];
  syncedRevision?: string;
  /** Fingerprint of the spec the last successful sync used: a changed spec needs a sync too. */
  syncedSpecHash?: string;
  sourceRevision?: string;
  heldAt?: string;
  health: HealthCode;
  syncStatus: ApplicationStatus['syncStatus'];
  /** The Application's rollouts (when it names a Rollout); optional for states from before rollouts. */
  rollouts?: RolloutMemory;
  /** What its alerts remember (collapsed repeats); optional for states from before alerts. */
  alerts?: AlertState;
}

/** Input of the application workflow. */
export interface ApplicationInput {
  desired: DesiredApplication;
  /** How often to look at the source and the live state (default "3m", like Argo CD). */
  refreshInterval?: string;
  state?: ApplicationState;
}

const HISTORY_IN_STATE = 50;
const api = proxyActivities<SluiceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes },
});

/**
 * One long-lived workflow per Application (`app/<project>/<name>`). Automated sync on a new commit of
 * its source, self-heal on drift, manual sync / refresh / rollback, and a history of every sync.
 * Each sync is a child workflow, so the Temporal UI shows each one step by step.
 */
export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationStatus> {
  let desired = input.desired;
  const state: ApplicationState = input.state ?? {
    updates: 0,
    nextSyncId: 1,
    history: [],
    inventory: [],
    health: 'Unknown',
    syncStatus: 'Unknown',
  };
  let stopped: { reason: string } | undefined;
  let removal: RemovalSummary | undefined;
  let syncing = false;
  let wake = true; // look at the source once at start
  let lastError: string | undefined;
  const spec = () => desired.spec as unknown as AppSpec;
  state.rollouts ??= { running: false };
  const alerts = new ApplicationAlerts(applicationAlertState(state), () => desired);
  const rollouts = new RolloutRunner(state.rollouts, (t, revision) =>
    alerts.handedBack(t.rollout, t.target, revision),
  );
  // The user's ignore rules plus the rollout target's replicas, which the rollout drives.
  const ignored = () => [...(spec().ignoreDifferences ?? []), ...rolloutKeepLive(desired)];

  const status = (): ApplicationStatus => ({
    repoId: desired.repoId,
    name: desired.name,
    project: desired.project,
    revision: desired.revision,
    source: desired.source,
    updates: state.updates,
    phase: stopped ? 'Stopped' : syncing ? 'Syncing' : 'Watching',
    sourceRevision: state.sourceRevision,
    syncedRevision: state.syncedRevision,
    syncStatus: state.syncStatus,
    health: state.health,
    heldAt: state.heldAt,
    lastSync: state.history.at(-1),
    lastError,
    ...(state.rollouts?.current ? { rollout: state.rollouts.current } : {}),
    ...(state.rollouts?.lastError ? { rolloutError: state.rollouts.lastError } : {}),
    ...(removal ? { removal } : {}),
  });

  /** Runs one sync as a child workflow, one at a time, and records it. */
  const runSync = async (
    revision: string,
    overrides: SyncRequest = {},
    cause: SyncCause = {},
  ): Promise<SyncResult> => {
    await condition(() => !syncing);
    syncing = true;
    const id = state.nextSyncId++;
    const childId = syncWorkflowId(desired.repoId, desired.name, revision, id);
    const announce = !overrides.dryRun;
    try {
      if (announce) alerts.started(revision, childId, cause);
      const child = executeChild(syncWorkflow, {
        workflowId: childId,
        args: [
          {
            id,
            owner: ownerOf(desired),
            request: renderRequest(desired.name, spec(), revision),
            cluster: spec().destination.cluster ?? 'in-cluster',
            options: syncOptions(spec(), overrides),
            previousInventory: state.inventory,
            ignoreDifferences: ignored(),
            keepLive: rolloutKeepLive(desired),
          },
        ],
        typedSearchAttributes: [
          { key: SluiceApp, value: desired.name },
          { key: SluiceKind, value: 'sync' },
          { key: SluiceRevision, value: revision },
        ],
      });
      // A failed sync fails its workflow (one from before completed): either way its result is the history entry.
      const result = await runStatus(child);
      if (!result.dryRun) {
        state.history = [...state.history, result].slice(-HISTORY_IN_STATE);
        state.inventory = result.inventory;
        state.health = result.health;
        if (result.phase === 'Succeeded') {
          state.syncedRevision = revision;
          state.syncedSpecHash = stableHash(desired.spec);
          state.syncStatus = 'Synced';
          await rollouts.afterSync(desired, revision);
        }
        alerts.finished(result, childId, cause);
      }
      return result;
    } catch (err) {
      if (announce && !isCancellation(err)) alerts.crashed(revision, childId, failureText(err));
      throw err;
    } finally {
      syncing = false;
    }
  };

  /** Automated sync with the spec's retry policy: retries a failed sync with backoff, then waits for a change. */
  const autoSync = async (revision: string, cause: SyncCause = {}): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      const result = await runSync(revision, {}, cause);
      if (result.phase === 'Succeeded') return;
      const delay = retryDelayMs(spec(), attempt);
      if (delay === undefined || state.sourceRevision !== revision) return;
      log.warn('sync failed; retrying', { revision, attempt, delayMs: delay, message: result.message });
      await sleep(delay);
    }
  };

  /** Looks at the source and the live state; syncs when automated and something changed. */
  const refresh = async (): Promise<void> => {
    const s = spec();
    try {
      const { sha } = await api.resolveSourceRevision({
        repoURL: s.source.repoURL,
        targetRevision: s.source.targetRevision ?? 'HEAD',
        owner: ownerOf(desired),
      });
      state.sourceRevision = sha;
      lastError = undefined;
    } catch (err) {
      lastError = failureMessage(err);
      return;
    }
    const automated = s.syncPolicy?.automated;
    const target = state.sourceRevision as string;
    const stale = state.syncedRevision !== target || state.syncedSpecHash !== stableHash(s);
    if (stale) state.syncStatus = 'OutOfSync';
    if (!automated) return;
    if (state.heldAt !== undefined) {
      if (state.heldAt === target) return; // rolled back: wait for a new commit
      state.heldAt = undefined;
    }
    if (stale) return autoSync(target);
    if (automated.selfHeal && state.syncedRevision) {
      const live = proxyActivities<SluiceActivities>({
        startToCloseTimeout: '2 minutes',
        retry: { maximumAttempts: 5 },
        ...(clusterTaskQueue(s.destination.cluster)
          ? { taskQueue: clusterTaskQueue(s.destination.cluster) }
          : {}),
      });
      const diff = await live.compareApp({
        request: renderRequest(desired.name, s, state.syncedRevision),
        owner: ownerOf(desired),
        ignoreDifferences: ignored(),
        inventory: state.inventory,
      });
      // Extraneous objects are drift only when the sync would prune them.
      const drifted = diff.filter(
        (d) => d.status !== 'Synced' && (d.status !== 'Extraneous' || automated.prune),
      );
      if (drifted.length > 0) {
        log.info('drift detected; healing', { objects: drifted.length });
        state.syncStatus = 'OutOfSync';
        await autoSync(state.syncedRevision, { healing: drifted.map((d) => refString(d.ref)) });
      }
    }
  };

  setHandler(applicationUpdateSignal, (next) => {
    // Only this application's own repository speaks for it (its workflow ID already says which).
    if (next.repoId !== desired.repoId || next.name !== desired.name) {
      log.warn('ignored an update for another application', { from: `${next.repoId}/${next.name}` });
      return;
    }
    desired = next;
    state.updates++;
    wake = true;
  });
  setHandler(applicationStopSignal, ({ reason }) => {
    stopped = { reason };
  });
  setHandler(refreshSignal, () => {
    wake = true;
  });
  setHandler(applicationStatusQuery, status);
  setHandler(historyQuery, () => state.history);
  setHandler(
    syncUpdate,
    async (req) => {
      const revision = req.revision ?? state.sourceRevision;
      if (!revision)
        throw ApplicationFailure.nonRetryable(
          'the source revision is not known yet: refresh first',
          'NoRevision',
        );
      return runSync(revision, req);
    },
    { validator: (req) => validateRevision(req.revision) },
  );
  setHandler(
    rollbackUpdate,
    async ({ id }) => {
      const entry = state.history.find((h) => h.id === id) as SyncResult;
      const result = await runSync(entry.revision, { prune: true });
      // Auto-sync would undo the rollback at once: hold it until the source moves past today's commit.
      if (result.phase === 'Succeeded') state.heldAt = state.sourceRevision;
      return result;
    },
    {
      validator: ({ id }) => {
        if (!state.history.some((h) => h.id === id && h.phase === 'Succeeded')) {
          throw new Error(
            `no successful sync with id ${id} in the recent history (ids: ${state.history.map((h) => h.id).join(', ') || 'none'})`,
          );
        }
      },
    },
  );

  const interval = durationMs(input.refreshInterval ?? '3m');
  while (!stopped) {
    if (wake) {
      wake = false;
      await refresh();
    }
    const timedOut = !(await condition(() => wake || stopped !== undefined, interval));
    if (timedOut) wake = true;
    // A running rollout child is tracked by this run; the next one starts after it ends.
    if (workflowInfo().continueAsNewSuggested && !syncing && !state.rollouts.running) {
      await alerts.drain();
      await condition(allHandlersFinished);
      await continueAsNew<typeof applicationWorkflow>({
        desired,
        refreshInterval: input.refreshInterval,
        state,
      });
    }
  }
  await condition(allHandlersFinished);
  removal = await removeApplicationObjects(desired, state.inventory, state.rollouts, stopped.reason);
  alerts.removed(removal, stopped.reason);
  await alerts.drain();
  return status();
}

// The failure's own message, under Temporal's ChildWorkflowFailure wrapper.
function failureText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? err.cause.message : err.message;
}

function validateRevision(revision: string | undefined): void {
  if (revision !== undefined && !/^[0-9a-f]{40}$/.test(revision)) {
    throw new Error(`revision must be a full 40-character commit SHA, got "${revision}"`);
  }
}
