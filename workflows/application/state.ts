// The state of one Application's workflow and the logic of its handlers (sync, rollback, refresh,
// update, stop), as Temporal's safe-message-handlers sample keeps a workflow's state in a class.
import { ApplicationFailure, log, patched, sleep } from '@temporalio/workflow';
import type { HealthCode } from '../../core/health/health.js';
import { type ResourceRef, refString } from '../../core/resource-ref.js';
import { revisionProblem } from '../../core/sync/revision-check.js';
import { activities, driftCompare } from '../activity-options.js';
import type { AlertState } from '../shared/alerts.js';
import { clusterTaskQueue } from '../shared/cluster-queue.js';
import { stableHash } from '../shared/stable-hash.js';
import type { SyncResult } from '../sync/workflow.js';
import { ApplicationAlerts, applicationAlertState, type SyncCause } from './alerts.js';
import { type DependencyWait, dependenciesReady, syncAfterDependencies } from './dependencies.js';
import { checkLive, type LiveMemory } from './live-check.js';
import {
  type ApplicationStatus,
  type DesiredApplication,
  ownerOf,
  type ResourceStatus,
  type SourceRevisionNotice,
  type StopRequest,
  type SyncRequest,
} from './messages.js';
import { type AppSpec, renderRequest, retryDelayMs } from './policy.js';
import type { RemovalSummary } from './removal.js';
import { type RolloutMemory, RolloutRunner, rolloutKeepLive } from './rollout-runner.js';
import { runApplicationSync } from './run-sync.js';
import { lookAtSource, type SourceMemory, takeNotice } from './source.js';
import { isSuspended, type OperatorMemory } from './suspension.js';

/** State carried across continue-as-new (with what it knows of its source: source.ts, of operators: suspension.ts). */
export interface ApplicationState extends SourceMemory, OperatorMemory {
  updates: number;
  nextSyncId: number;
  /** The most recent syncs, newest last; older ones stay findable in Temporal visibility. */
  history: SyncResult[];
  inventory: ResourceRef[];
  syncedRevision?: string;
  /** Fingerprint of the spec the last successful sync used: a changed spec needs a sync too. */
  syncedSpecHash?: string;
  heldAt?: string;
  health: HealthCode;
  syncStatus: ApplicationStatus['syncStatus'];
  /** The Application's rollouts (when it names a Rollout); optional for states from before rollouts. */
  rollouts?: RolloutMemory;
  /** What its alerts remember (collapsed repeats); optional for states from before alerts. */
  alerts?: AlertState;
  /** What the live checks remember (the drift announced, the last heal); optional for states from before them. */
  live?: LiveMemory;
}

/** Input of the application workflow. */
export interface ApplicationInput {
  desired: DesiredApplication;
  /** How often to look at the source and the live state (default "3m", like Argo CD). */
  refreshInterval?: string;
  /** Started by a repository watcher that resolves its source for it (no ls-remote of its own). */
  sourceFromWatcher?: boolean;
  /** The watcher's first notice, resolved before it started the application: its first refresh syncs at once. */
  source?: SourceRevisionNotice;
  state?: ApplicationState;
}

/** One Application: its desired spec, what it remembers, and what its handlers and loop share. */
export class ApplicationRun {
  desired: DesiredApplication;
  readonly state: ApplicationState;
  stopped: StopRequest | undefined;
  removal: RemovalSummary | undefined;
  syncing = false;
  /** Look at the source on the next turn of the loop (once at start). */
  wake = true;
  /** Resolve the source itself on the next refresh, even when the watcher resolves it (a refresh signal asked). */
  resolveNow = false;
  /** The live-state cache saw the application's objects change: check health and drift on the next turn. */
  liveDirty = false;
  lastError: string | undefined;
  /** What its next sync waits for (spec.dependsOn: dependencies.ts), while it waits. */
  dependencyWait: DependencyWait | undefined;
  /** The objects as the last live check saw them, for the status query only (kept in memory, not carried over). */
  resources: ResourceStatus[] | undefined;
  readonly alerts: ApplicationAlerts;
  readonly rollouts: RolloutRunner;

  constructor(input: ApplicationInput) {
    this.desired = input.desired;
    this.state = input.state ?? {
      updates: 0,
      nextSyncId: 1,
      history: [],
      inventory: [],
      health: 'Unknown',
      syncStatus: 'Unknown',
    };
    this.state.rollouts ??= { running: false };
    this.state.live ??= {};
    if (input.sourceFromWatcher) this.state.sourceFromWatcher = true;
    if (input.source) takeNotice(this, input.source);
    this.alerts = new ApplicationAlerts(applicationAlertState(this.state), () => this.desired);
    this.rollouts = new RolloutRunner(this.state.rollouts, (t, revision) =>
      this.alerts.handedBack(t.rollout, t.target, revision),
    );
  }

  /** The Application's spec as validated. */
  spec(): AppSpec {
    return this.desired.spec as unknown as AppSpec;
  }

  /** The user's ignore rules plus the rollout target's replicas, which the rollout drives. */
  ignored() {
    return [...(this.spec().ignoreDifferences ?? []), ...rolloutKeepLive(this.desired)];
  }

  /** The status query's answer. */
  status(): ApplicationStatus {
    const { desired, state, stopped, syncing, lastError, removal } = this;
    return {
      repoId: desired.repoId,
      name: desired.name,
      project: desired.project,
      revision: desired.revision,
      source: desired.source,
      updates: state.updates,
      phase: stopped ? 'Stopped' : syncing ? 'Syncing' : 'Watching',
      sourceRevision: state.sourceRevision,
      ...(state.sourceOf !== undefined ? { sourceKey: state.sourceOf } : {}),
      syncedRevision: state.syncedRevision,
      syncStatus: state.syncStatus,
      health: state.health,
      heldAt: state.heldAt,
      lastSync: state.history.at(-1),
      lastError,
      ...(this.dependencyWait ? { waitingFor: this.dependencyWait.waitingFor } : {}),
      ...(state.rollouts?.current ? { rollout: state.rollouts.current } : {}),
      ...(state.rollouts?.lastError ? { rolloutError: state.rollouts.lastError } : {}),
      ...(removal ? { removal } : {}),
      ...(state.suspended ? { suspended: state.suspended } : {}),
      ...(state.rolloutRetry ? { rolloutRetry: state.rolloutRetry } : {}),
      ...(this.resources ? { resources: this.resources } : {}),
    };
  }

  /** Runs one sync as a child workflow, one at a time, and records it (run-sync.ts). */
  runSync(revision: string, overrides: SyncRequest = {}, cause: SyncCause = {}): Promise<SyncResult> {
    return runApplicationSync(this, revision, overrides, cause);
  }

  /** Whether Git (the source's newest commit, or the spec) moved past the last successful sync. */
  stale(): boolean {
    const { state } = this;
    return state.syncedRevision !== state.sourceRevision || state.syncedSpecHash !== stableHash(this.spec());
  }

  /** Automated sync with the spec's retry policy: retries a failed sync with backoff, then waits for a change; answers the last result. */
  async autoSync(revision: string, cause: SyncCause = {}): Promise<SyncResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.runSync(revision, {}, cause);
      if (result.phase === 'Succeeded') return result;
      const delay = retryDelayMs(this.spec(), attempt);
      // A suspension stops the retries too (it is meant to stop Sluice from writing).
      if (delay === undefined || this.state.sourceRevision !== revision || isSuspended(this.state))
        return result;
      log.warn('sync failed; retrying', { revision, attempt, delayMs: delay, message: result.message });
      await sleep(delay);
      if (isSuspended(this.state)) return result;
    }
  }

  /** Looks at the source and the live state; syncs when automated and something changed. */
  async refresh(): Promise<void> {
    const { state } = this;
    const s = this.spec();
    const look = await lookAtSource(state, this.desired, this.resolveNow);
    this.resolveNow = false;
    if (!look.ok) {
      if (look.error !== undefined) this.lastError = look.error;
      return;
    }
    this.lastError = undefined;
    const automated = s.syncPolicy?.automated;
    const target = state.sourceRevision as string;
    const stale = state.syncedRevision !== target || state.syncedSpecHash !== stableHash(s);
    if (stale) state.syncStatus = 'OutOfSync';
    // Health and drift are looked at whether or not Sluice syncs by itself (a rolled-back app too).
    const lookLive = () => (patched('live-events') ? checkLive(this) : undefined);
    if (!automated) return lookLive();
    if (isSuspended(state)) return lookLive(); // suspended: seen (OutOfSync), not applied
    if (state.heldAt !== undefined) {
      if (state.heldAt === target) return lookLive(); // rolled back: wait for a new commit
      state.heldAt = undefined;
    }
    if (stale) {
      if (!(await dependenciesReady(this))) return;
      await this.autoSync(target);
      return;
    }
    if (patched('live-events')) return checkLive(this);
    if (automated.selfHeal && state.syncedRevision) {
      const live = activities(driftCompare, { taskQueue: clusterTaskQueue(s.destination.cluster) });
      const diff = await live.compareApp({
        request: renderRequest(this.desired.name, s, state.syncedRevision),
        owner: ownerOf(this.desired),
        ignoreDifferences: this.ignored(),
        inventory: state.inventory,
      });
      // Extraneous objects are drift only when the sync would prune them.
      const drifted = diff.filter(
        (d) => d.status !== 'Synced' && (d.status !== 'Extraneous' || automated.prune),
      );
      if (drifted.length > 0) {
        log.info('drift detected; healing', { objects: drifted.length });
        state.syncStatus = 'OutOfSync';
        await this.autoSync(state.syncedRevision, { healing: drifted.map((d) => refString(d.ref)) });
      }
    }
  }

  /** The update signal: a new desired spec from this application's own repository. */
  onUpdate(next: DesiredApplication): void {
    // Only this application's own repository speaks for it (its workflow ID already says which).
    if (next.repoId !== this.desired.repoId || next.name !== this.desired.name) {
      log.warn('ignored an update for another application', { from: `${next.repoId}/${next.name}` });
      return;
    }
    this.desired = next;
    this.state.updates++;
    this.wake = true;
  }

  /** The stop signal: the Application was removed from Git. */
  onStop({ reason, preserve }: StopRequest): void {
    this.stopped = { reason, ...(preserve ? { preserve } : {}) };
  }

  /** The liveChanged signal: the live-state cache saw the application's objects change. */
  onLiveChanged(): void {
    // A signal a worker without this handler left unhandled stays unhandled when its history replays.
    if (!patched('live-events')) return;
    this.liveDirty = true;
  }

  /** Checks health and drift after live changes (live-check.ts). */
  async checkLiveNow(): Promise<void> {
    this.liveDirty = false;
    await checkLive(this);
  }

  /** The refresh signal: look at the source now (with an ls-remote of its own). */
  onRefresh(): void {
    this.wake = true;
    this.resolveNow = true;
  }

  /** The sync update: a sync of the given (or the latest known) revision. */
  async sync(req: SyncRequest): Promise<SyncResult> {
    const revision = req.revision ?? this.state.sourceRevision;
    if (!revision)
      throw ApplicationFailure.nonRetryable(
        'the source revision is not known yet: refresh first',
        'NoRevision',
      );
    return syncAfterDependencies(this, req, () => this.runSync(revision, req));
  }

  /** The rollback update: a sync of an earlier successful revision, held until the source moves on. */
  async rollback({ id }: { id: number }): Promise<SyncResult> {
    const entry = this.state.history.find((h) => h.id === id) as SyncResult;
    const result = await this.runSync(entry.revision, { prune: true });
    // Auto-sync would undo the rollback at once: hold it until the source moves past today's commit.
    if (result.phase === 'Succeeded') this.state.heldAt = this.state.sourceRevision;
    return result;
  }

  /** The rollback update's validator: a successful sync of that id in the recent history. */
  validateRollback({ id }: { id: number }): void {
    const { history } = this.state;
    if (!history.some((h) => h.id === id && h.phase === 'Succeeded')) {
      throw new Error(
        `no successful sync with id ${id} in the recent history (ids: ${history.map((h) => h.id).join(', ') || 'none'})`,
      );
    }
  }
}

/** The sync update's validator: a revision, when given, fits the Application's sources (revision-check.ts). */
export function validateRevision(
  revision: string | undefined,
  spec: Pick<AppSpec, 'source' | 'sources'>,
): void {
  const problem = revision === undefined ? undefined : revisionProblem(spec, revision);
  if (problem) throw new Error(problem);
}
