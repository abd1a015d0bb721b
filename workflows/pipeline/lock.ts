// One workflow per Pipeline (`pipeline-lock/<pipeline>`) that serialises its runs by the Pipeline's
// `concurrency` policy. Runs ask for it with signal-with-start and are answered by signal, so two runs
// triggered in the same second are ordered by the lock's history, not by a visibility query that may
// lag behind. It ends when idle; the next request starts it again.
import {
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { StepActivities } from '../../activities/steps/index.js';
import { activities, lockLiveness } from '../activity-options.js';
import { failureMessage } from '../shared/failure-message.js';
import { lockAcquireSignal, lockAnswerSignal, lockReleaseSignal, lockStateQuery } from './lock-messages.js';
import { applyLockEvent, type LockEvent, type LockState } from './lock-state.js';

/** The lock's state across continue-as-new: holder, queue, and each run's latest request ticket. */
export interface PipelineLockInput {
  state: LockState;
  tickets: Record<string, number>;
}

// How long an idle lock lives, and how often it checks that a silent holder still runs (a run that was
// terminated never releases).
const IDLE = '1 minute';
const HOLDER_CHECK = '2 minutes';

/** Grants a Pipeline's lock to one run at a time, in request order, by its concurrency policy. */
export async function pipelineLockWorkflow(input?: PipelineLockInput): Promise<void> {
  const state: LockState = input?.state ?? { queue: [] };
  const tickets: Record<string, number> = input?.tickets ?? {};
  const inbox: LockEvent[] = [];
  setHandler(lockAcquireSignal, ({ runId, policy, ticket }) => {
    tickets[runId] = ticket;
    inbox.push({ kind: 'acquire', runId, policy });
  });
  setHandler(lockReleaseSignal, ({ runId }) => {
    inbox.push({ kind: 'release', runId });
  });
  setHandler(lockStateQuery, () => ({ ...state, queue: [...state.queue] }));
  const acts = activities<StepActivities>(lockLiveness, { summary: 'is the holder still running?' });

  /** Signals a run; false when it is gone (ended or terminated). */
  const answer = async (runId: string, granted: boolean, holder?: string): Promise<boolean> => {
    try {
      const ticket = tickets[runId] ?? 0;
      await getExternalWorkflowHandle(runId).signal(lockAnswerSignal, {
        granted,
        ticket,
        ...(holder ? { holder } : {}),
      });
      return true;
    } catch (err) {
      log.info('run gone before its answer', { runId, error: failureMessage(err) });
      return false;
    }
  };

  for (;;) {
    while (inbox.length > 0) {
      const event = inbox.shift() as LockEvent;
      if (event.kind === 'release') delete tickets[event.runId];
      const effects = applyLockEvent(state, event);
      for (const runId of effects.cancel) {
        log.info('cancelling a superseded run', { runId });
        await getExternalWorkflowHandle(runId)
          .cancel()
          .catch((err: unknown) =>
            log.info('superseded run already gone', { runId, error: failureMessage(err) }),
          );
      }
      for (const d of effects.denied) await answer(d.runId, false, d.holder);
      for (const runId of effects.granted)
        if (!(await answer(runId, true))) inbox.push({ kind: 'release', runId });
    }
    const holder = state.holder;
    if (holder === undefined && state.queue.length === 0) {
      if (!(await condition(() => inbox.length > 0, IDLE))) return;
      continue;
    }
    if (!(await condition(() => inbox.length > 0, HOLDER_CHECK)) && holder !== undefined) {
      const running = await acts.runningPipelineRuns({ workflowIds: [holder] });
      if (!running.includes(holder)) {
        log.warn('the holder ended without releasing; releasing for it', { runId: holder });
        inbox.push({ kind: 'release', runId: holder });
      }
    }
    if (inbox.length === 0 && workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof pipelineLockWorkflow>({ state, tickets });
  }
}
