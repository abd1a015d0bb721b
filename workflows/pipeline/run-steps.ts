// Running a Pipeline run's steps: `if` conditions, `${{ }}` inputs, one cancellation scope per step,
// parallel groups at once, outcomes recorded for later expressions.
import { CancellationScope, isCancellation, log } from '@temporalio/workflow';
import type { PipelineStep } from '../../schemas/types.generated.js';
import { failureMessage } from '../shared/failure-message.js';
import { evaluateCondition, interpolate } from './expressions.js';
import { isGroup } from './run-entries.js';
import { iso, type PipelineRun } from './run-state.js';
import { executeStep } from './steps.js';

type Outcome = 'success' | 'failure' | 'skipped' | 'cancelled';

/** An `if` as true or false, or the message of an expression that cannot be evaluated (the step fails). */
function ifHolds(run: PipelineRun, text: string | undefined): boolean | string {
  if (!text) return true;
  try {
    return evaluateCondition(text, run.ctx);
  } catch (err) {
    return `if: ${failureMessage(err)}`;
  }
}

/** Runs one step in its own cancellation scope (the cancel update cancels it). */
export async function runStep(run: PipelineRun, step: PipelineStep): Promise<Outcome> {
  const { ctx } = run;
  const s = run.stepStatus(step.name);
  const when = ifHolds(run, step.if);
  if (typeof when === 'string') {
    s.phase = 'Failed';
    s.message = when;
    ctx.steps[step.name] = { outcome: 'failure', outputs: {} };
    return step.continueOnError ? 'success' : 'failure';
  }
  if (!when) {
    s.phase = 'Skipped';
    ctx.steps[step.name] = { outcome: 'skipped', outputs: {} };
    return 'skipped';
  }
  s.phase = 'Running';
  s.attempts++;
  s.startedAt = iso();
  delete s.message;
  const scope = new CancellationScope();
  run.running.add(scope);
  try {
    const inputs = interpolate(step.with ?? {}, ctx) as Record<string, unknown>;
    const outputs = await scope.run(() => executeStep(step, inputs, run));
    s.phase = 'Succeeded';
    s.outputs = outputs;
    ctx.steps[step.name] = { outcome: 'success', outputs };
    return 'success';
  } catch (err) {
    if (isCancellation(err) && !run.cancelRequested) throw err; // the whole workflow was cancelled
    const cancelled = run.cancelRequested && isCancellation(err);
    s.phase = cancelled ? 'Cancelled' : 'Failed';
    s.message = cancelled ? 'cancelled' : failureMessage(err);
    ctx.steps[step.name] = { outcome: cancelled ? 'cancelled' : 'failure', outputs: {} };
    if (!cancelled) log.warn('pipeline step failed', { step: step.name, error: s.message });
    if (cancelled) return 'cancelled';
    return step.continueOnError ? 'success' : 'failure';
  } finally {
    run.running.delete(scope);
    s.finishedAt = iso();
  }
}

/** Runs the main steps from an index; answers the name of the entry that failed, if one did. */
export async function runMain(run: PipelineRun, from: number): Promise<string | undefined> {
  const { ctx } = run;
  for (const entry of run.entries.slice(from)) {
    if (run.cancelRequested) return undefined;
    if (isGroup(entry)) {
      const when = ifHolds(run, entry.if);
      if (typeof when === 'string') {
        run.status.message = when;
        ctx.steps[entry.name] = { outcome: 'failure', outputs: {} };
        return entry.name;
      }
      if (!when) {
        for (const s of entry.parallel) {
          run.stepStatus(s.name).phase = 'Skipped';
          ctx.steps[s.name] = { outcome: 'skipped', outputs: {} };
        }
        ctx.steps[entry.name] = { outcome: 'skipped', outputs: {} };
        continue;
      }
      const outcomes = await Promise.all(entry.parallel.map((s) => runStep(run, s)));
      const failed = entry.parallel.find((_s, i) => outcomes[i] === 'failure');
      ctx.steps[entry.name] = { outcome: failed ? 'failure' : 'success', outputs: {} };
      if (failed) return failed.name;
    } else if ((await runStep(run, entry)) === 'failure') return entry.name;
  }
  return undefined;
}
