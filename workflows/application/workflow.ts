// The application workflow: its state and handlers' logic live in ApplicationRun (state.ts); this
// wires the handlers and runs the refresh loop, continue-as-new, and the removal at the end.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { dependencyRecheckMs } from './dependencies.js';
import {
  type ApplicationStatus,
  applicationStatusQuery,
  applicationStopSignal,
  applicationUpdateSignal,
  historyQuery,
  liveChangedSignal,
  refreshSignal,
  rollbackUpdate,
  type StopRequest,
  sourceRevisionSignal,
  syncUpdate,
} from './messages.js';
import { resumeUpdate, retryRolloutUpdate, suspendUpdate } from './operator-messages.js';
import { type AppSpec, refreshIntervalMs } from './policy.js';
import { removeApplicationObjects } from './removal.js';
import { retryRollout, validateRetry } from './rollout-retry.js';
import { takeNotice } from './source.js';
import { type ApplicationInput, ApplicationRun, validateRevision } from './state.js';
import { resumeApp, suspendApp, validateResume, validateSuspend } from './suspension.js';

export type { ApplicationInput, ApplicationState } from './state.js';

/**
 * One long-lived workflow per Application (`app/<project>/<name>`). Automated sync on a new commit of
 * its source, self-heal on drift, manual sync / refresh / rollback, and a history of every sync.
 * Each sync is a child workflow, so the Temporal UI shows each one step by step.
 */
export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationStatus> {
  const app = new ApplicationRun(input);
  const { state, alerts } = app;
  setHandler(applicationUpdateSignal, (next) => app.onUpdate(next));
  setHandler(applicationStopSignal, (req) => app.onStop(req));
  setHandler(refreshSignal, () => app.onRefresh());
  setHandler(liveChangedSignal, () => app.onLiveChanged());
  setHandler(sourceRevisionSignal, (notice) => takeNotice(app, notice));
  setHandler(applicationStatusQuery, () => app.status());
  setHandler(historyQuery, () => state.history);
  setHandler(syncUpdate, (req) => app.sync(req), {
    validator: (req) => validateRevision(req.revision, app.desired.spec as unknown as AppSpec),
  });
  setHandler(rollbackUpdate, (req) => app.rollback(req), { validator: (req) => app.validateRollback(req) });
  // Operators' actions (suspension.ts, rollout-retry.ts): a history from before them never received one.
  setHandler(suspendUpdate, (req) => suspendApp(app, req), {
    validator: (req) => validateSuspend(state, req),
  });
  setHandler(resumeUpdate, (req) => resumeApp(app, req), { validator: (req) => validateResume(state, req) });
  setHandler(retryRolloutUpdate, (req) => retryRollout(app, req), {
    validator: (req) => validateRetry(app, req),
  });

  while (!app.stopped) {
    if (app.wake) {
      app.wake = false;
      await app.refresh();
    } else if (app.liveDirty && !app.syncing) {
      await app.checkLiveNow();
    }
    // Live changes wait while a sync runs: it applies and assesses health itself, and they are looked at after.
    const liveWaiting = () => app.liveDirty && !app.syncing;
    // A safety net: new commits (the watcher's notice) and live changes wake the loop by signal.
    const interval =
      dependencyRecheckMs(app) ??
      refreshIntervalMs(app.desired.spec as unknown as AppSpec, input.refreshInterval);
    const timedOut = !(await condition(
      () => app.wake || liveWaiting() || app.stopped !== undefined,
      interval,
    ));
    if (timedOut) app.wake = true;
    // A running rollout child is tracked by this run; the next one starts after it ends.
    if (workflowInfo().continueAsNewSuggested && !app.syncing && !state.rollouts?.running) {
      await alerts.drain();
      await condition(allHandlersFinished);
      await continueAsNew<typeof applicationWorkflow>({
        desired: app.desired,
        refreshInterval: input.refreshInterval,
        state,
      });
    }
  }
  await condition(allHandlersFinished);
  // Read after the handlers finished, as before: a later stop signal's reason wins.
  const { reason, preserve } = app.stopped as StopRequest;
  app.removal = await removeApplicationObjects(
    app.desired,
    state.inventory,
    state.rollouts,
    reason,
    preserve,
  );
  alerts.removed(app.removal, reason);
  await alerts.drain();
  return app.status();
}
