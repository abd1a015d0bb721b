// A run's side of its Pipeline's run lock (workflows/pipeline/lock.ts applies `concurrency`): ask for
// it, wait for the answer, give it up. A failed run gives the lock up while it waits for a retry.
import { CancellationScope, condition, getExternalWorkflowHandle, log } from '@temporalio/workflow';
import type { StepActivities } from '../../activities/steps/index.js';
import { activities, bookkeeping } from '../activity-options.js';
import { failureMessage } from '../shared/failure-message.js';
import { lockReleaseSignal, pipelineLockId } from './lock-messages.js';
import type { ConcurrencyPolicy } from './lock-state.js';
import type { PipelineRun } from './run-state.js';

type LockAnswer = { granted: boolean; holder?: string };

/** The run's place at its Pipeline's lock: the ticket of its latest request and the lock's answer. */
export class RunLock {
  private ticket = 0;
  private answer: LockAnswer | undefined;
  private holdsOrWaits = false;
  private readonly acts = activities<StepActivities>(bookkeeping);

  constructor(private readonly run: PipelineRun) {}

  private get lockId(): string {
    return pipelineLockId(this.run.input.pipeline.repoId, this.run.input.pipeline.name);
  }

  /** The lockAnswer signal: the lock's answer to the latest request (older tickets are stale). */
  onAnswer({ ticket, ...answer }: { ticket: number } & LockAnswer): void {
    if (ticket === this.ticket) this.answer = answer;
  }

  /** Waits for the lock; false when the policy skips this run or the run is cancelled meanwhile. */
  async acquire(policy: ConcurrencyPolicy): Promise<boolean> {
    const run = this.run;
    this.ticket++;
    this.answer = undefined;
    this.holdsOrWaits = true;
    run.setPhase('Queued');
    await this.acts.requestPipelineLock({
      lockId: this.lockId,
      pipeline: run.input.pipeline.name,
      runId: run.workflowId,
      policy,
      ticket: this.ticket,
    });
    await condition(() => this.answer !== undefined || run.cancelRequested);
    // (TypeScript cannot see that the signal handler assigned it meanwhile.)
    const answer = this.answer as LockAnswer | undefined;
    if (answer?.granted) return true;
    if (answer) {
      this.holdsOrWaits = false;
      run.status.message = `skipped: run ${answer.holder} is running (concurrency: skip)`;
      log.info('another run holds the lock: skipping this one', { holder: answer.holder });
    }
    return false;
  }

  /** Gives the lock up (or the place in its queue); runs even when the workflow is being cancelled. */
  async release(): Promise<void> {
    if (!this.holdsOrWaits) return;
    this.holdsOrWaits = false;
    await CancellationScope.nonCancellable(() =>
      getExternalWorkflowHandle(this.lockId)
        .signal(lockReleaseSignal, { runId: this.run.workflowId })
        .catch((err: unknown) => log.warn('could not release the run lock', { error: failureMessage(err) })),
    );
  }
}
