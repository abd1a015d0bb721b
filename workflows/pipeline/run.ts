// One durable workflow per Pipeline run (`pipeline/<name>/<run>`): steps in order (parallel groups at
// once), `if` conditions and `${{ }}` inputs resolved from the trigger and earlier outputs, onFailure
// steps and alerts when a step fails, a retry window, and approve / cancel / retry-step updates.
// A restarted worker replays the history and carries on at the same step. The run's state and its
// handlers' logic live in PipelineRun (run-state.ts); this function wires them and walks the run.
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { durationMs } from '../shared/duration.js';
import { lockAnswerSignal } from './lock-messages.js';
import {
  approveUpdate,
  cancelRunUpdate,
  type PipelineRunInput,
  type PipelineRunStatus,
  pipelineStatusQuery,
  retryStepUpdate,
} from './messages.js';
import { entryIndex, resetFrom } from './run-entries.js';
import { RunLock } from './run-lock.js';
import { PipelineRun } from './run-state.js';
import { runMain, runStep } from './run-steps.js';

/** Runs one Pipeline run; answers its final state (a failed run ends as a failed workflow). */
export async function pipelineWorkflow(input: PipelineRunInput): Promise<PipelineRunStatus> {
  const run = new PipelineRun(input);
  setHandler(pipelineStatusQuery, () => run.snapshot());
  setHandler(approveUpdate, (req) => run.approve(req), { validator: (req) => run.validateApprove(req) });
  setHandler(cancelRunUpdate, (req) => run.cancel(req), { validator: (_req) => run.validateCancel() });
  setHandler(retryStepUpdate, (req) => run.retryStep(req), { validator: (req) => run.validateRetry(req) });
  // The Pipeline's run lock applies `concurrency`; a failed run gives the lock up while it waits for a
  // retry, and a retry waits its turn behind newer runs.
  const lock = new RunLock(run);
  setHandler(lockAnswerSignal, (answer) => lock.onAnswer(answer));

  try {
    return await runWithLock(run, lock);
  } finally {
    await lock.release();
  }
}

/** Walks the run under its lock: main steps, then on a failure onFailure steps, alerts and the retry window. */
async function runWithLock(run: PipelineRun, lock: RunLock): Promise<PipelineRunStatus> {
  const { status, ctx, entries, onFailure, steps } = run;
  const { pipeline } = run.input;
  const spec = pipeline.spec;
  if (!(await lock.acquire(spec.concurrency ?? 'queue'))) {
    run.setPhase(run.cancelRequested ? 'Cancelled' : 'Skipped');
    return run.finish();
  }
  run.setPhase('Running');

  let from = 0;
  for (;;) {
    const failed = await runMain(run, from);
    if (run.cancelRequested) {
      run.setPhase('Cancelled');
      return run.finish();
    }
    if (failed === undefined) {
      run.setPhase('Succeeded');
      await run.announce('pipeline.succeeded', 'info', `Pipeline ${pipeline.name} run ${run.run} succeeded`);
      return run.finish();
    }
    status.failedStep = failed;
    status.message = `step ${failed} failed: ${run.stepStatus(failed)?.message ?? 'see the step'}`;
    ctx.run.failedStep = failed;
    run.setPhase('Failed');
    for (const step of onFailure) await runStep(run, step);
    await run.announce(
      'pipeline.failed',
      'error',
      `Pipeline ${pipeline.name} run ${run.run}: ${status.message}`,
    );
    await lock.release();
    const windowMs = durationMs(spec.retryWindow ?? '1h');
    const retried =
      windowMs > 0 && (await condition(() => run.retryFrom !== undefined || run.cancelRequested, windowMs));
    if (!retried || run.cancelRequested || run.retryFrom === undefined) {
      if (run.cancelRequested) {
        run.setPhase('Cancelled');
        return run.finish();
      }
      run.finish();
      throw ApplicationFailure.nonRetryable(status.message, 'PipelineRunFailed', run.snapshot());
    }
    from = entryIndex(entries, run.retryFrom);
    run.retryFrom = undefined;
    resetFrom(steps, entries, from, onFailure);
    delete status.failedStep;
    delete status.message;
    delete ctx.run.failedStep;
    // Someone asked for this retry: it waits its turn whatever the policy says about new runs.
    if (!(await lock.acquire('queue'))) {
      run.setPhase('Cancelled');
      return run.finish();
    }
    run.setPhase('Running');
  }
}
