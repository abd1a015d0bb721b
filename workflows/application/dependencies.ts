// spec.dependsOn: an application syncs only once every Application it depends on is Synced and Healthy
// at the newest commit of its source (activities/dependencies/readiness.ts). The wait is durable: the
// application's loop re-checks on a short timer while it waits (workflow.ts), and a hand-started sync
// waits in its update handler; `app get`/`app list` show what it waits for, the Temporal UI shows the
// check's summary, the workflow's current details and SluicePhase = WaitingForDependencies (unset after).
import {
  ApplicationFailure,
  log,
  patched,
  setCurrentDetails,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DependencyRef } from '../../activities/dependencies/index.js';
import { declaredId } from '../../core/workflow-ids.js';
import { activities, appCall } from '../activity-options.js';
import { SluicePhase } from '../shared/search-attributes.js';
import { type DesiredApplication, ownerOf, type WaitingFor } from './messages.js';
import type { AppSpec } from './policy.js';
import { isSuspended, type OperatorMemory } from './suspension.js';

/** The patch under which an application waits for its dependencies. */
export const DEPENDS_ON = 'depends-on';

/** What an application waiting for its dependencies remembers (in memory: the next check recomputes it). */
export interface DependencyWait {
  waitingFor: WaitingFor[];
  /** Checks made since the wait began: the first minute re-checks often, then less. */
  checks: number;
}

/** The part of an application the dependency gate reads and sets. */
export interface DependencyGated {
  readonly desired: DesiredApplication;
  /** What it knows of its own source: a dependency on the same source must have seen the same commit. */
  readonly state: { sourceRevision?: string; sourceOf?: string } & OperatorMemory;
  stopped: { reason: string } | undefined;
  dependencyWait: DependencyWait | undefined;
  /** Whether Git moved past the last successful sync: a wait ends when nothing is left to sync. */
  stale(): boolean;
}

/** The SluicePhase of an application waiting for its dependencies. */
const WAITING = 'WaitingForDependencies';
const FAST_RECHECK_MS = 5_000;
const SLOW_RECHECK_MS = 30_000;
const FAST_CHECKS = 12;

/** The Application's dependencies, each with its repository (default: the Application's own). */
export function dependenciesOf(desired: DesiredApplication): DependencyRef[] {
  const list = (desired.spec as unknown as AppSpec).dependsOn ?? [];
  return list.map((d) => ({ repoId: d.repo ?? desired.repoId, name: d.name }));
}

/** Checks the dependencies once; true when there are none or all are ready, else records what it waits for. */
export async function dependenciesReady(app: DependencyGated): Promise<boolean> {
  const deps = dependenciesOf(app.desired);
  // patched() only for Applications with dependencies: every history before them has none.
  if (deps.length === 0 || !patched(DEPENDS_ON)) return endWait(app);
  const ids = deps.map((d) => declaredId(d.repoId, d.name));
  const { sourceOf, sourceRevision } = app.state;
  const verdicts = await activities(appCall, {
    summary: `dependencies of ${app.desired.name}: ${ids.join(', ')}`,
  }).checkDependencies({
    owner: ownerOf(app.desired),
    dependencies: deps,
    ...(sourceOf !== undefined && sourceRevision !== undefined
      ? { source: { key: sourceOf, revision: sourceRevision } }
      : {}),
  });
  const waitingFor = verdicts.flatMap((v) =>
    v.ready ? [] : [{ id: v.id, reason: v.reason ?? 'not ready' }],
  );
  if (waitingFor.length === 0) return endWait(app);
  const first = app.dependencyWait === undefined;
  app.dependencyWait = { waitingFor, checks: (app.dependencyWait?.checks ?? 0) + 1 };
  const text = waitingFor.map((w) => `${w.id} (${w.reason})`).join(', ');
  setCurrentDetails(`Waiting for dependencies: ${text}`);
  if (first) {
    upsertSearchAttributes({ SluicePhase: [WAITING] });
    log.info('sync waits for dependencies', { waitingFor: text });
  }
  return false;
}

/** Whether the workflow shows a wait: this run's, or one a run before continue-as-new left in its search attributes. */
function showsWait(app: DependencyGated): boolean {
  return (
    app.dependencyWait !== undefined || workflowInfo().typedSearchAttributes.get(SluicePhase) === WAITING
  );
}

function endWait(app: DependencyGated): true {
  if (showsWait(app)) {
    app.dependencyWait = undefined;
    setCurrentDetails('');
    // Back to what it was: unset, or Suspended (suspension.ts) when a hand sync waited while suspended.
    upsertSearchAttributes({ SluicePhase: isSuspended(app.state) ? ['Suspended'] : [] });
    log.info('dependencies ready');
  }
  return true;
}

/** How soon to check again while waiting (5 s for the first minute, then 30 s); undefined when not waiting. */
export function dependencyRecheckMs(app: DependencyGated): number | undefined {
  const wait = app.dependencyWait;
  if (wait === undefined) return undefined;
  // A sync that skipped its dependencies (or a commit that went back) left nothing to wait for; a suspended
  // application syncs nothing by itself, so it stops checking (a hand sync checks for itself).
  if (!app.stale() || isSuspended(app.state)) {
    endWait(app);
    return undefined;
  }
  return recheckDelay(wait);
}

const recheckDelay = (wait: DependencyWait | undefined) =>
  (wait?.checks ?? 0) < FAST_CHECKS ? FAST_RECHECK_MS : SLOW_RECHECK_MS;

/** A hand-started sync: waits until the dependencies are ready (unless told to skip them), then runs it. */
export async function syncAfterDependencies<T>(
  app: DependencyGated,
  req: { dryRun?: boolean; skipDependencies?: boolean },
  run: () => Promise<T>,
): Promise<T> {
  if (req.dryRun) return run();
  if (req.skipDependencies !== true) await awaitDependencies(app);
  else if (dependenciesOf(app.desired).length > 0) log.warn('sync skips its dependencies, as asked');
  const result = await run();
  // A sync that skipped them leaves nothing to wait for: say so now, not at the loop's next turn.
  if (!app.stale()) endWait(app);
  return result;
}

/** Waits (durably, re-checking on a timer) until the dependencies are ready; fails if the Application is removed meanwhile. */
async function awaitDependencies(app: DependencyGated): Promise<void> {
  while (!(await dependenciesReady(app))) {
    if (app.stopped)
      throw ApplicationFailure.nonRetryable(
        'the Application was removed from Git while its sync waited for its dependencies',
        'Stopped',
      );
    await sleep(recheckDelay(app.dependencyWait));
  }
}
