// The rollout workflow: its status and handlers live in RolloutState (state.ts), its moves on the
// cluster in RolloutMoves (moves.ts), its checks in RolloutChecks (checks.ts); this walks the steps.
import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  setHandler,
} from '@temporalio/workflow';
import { DEFAULT_ANALYSIS_INTERVAL } from '../../core/analysis/types.js';
import {
  rolloutFailed,
  rolloutPaused,
  rolloutStarted,
  rolloutStepAdvanced,
} from '../../core/events/kinds.js';
import { RunFailure } from '../../core/run-endings.js';
import { durationMs } from '../shared/duration.js';
import { endAsFailed } from '../shared/failed-ending.js';
import { failureMessage } from '../shared/failure-message.js';
import { workflowNow } from '../shared/workflow-time.js';
import { RolloutChecks } from './checks.js';
import {
  abortUpdate,
  type FailedCheck,
  pauseUpdate,
  promoteUpdate,
  type RolloutInput,
  type RolloutStatus,
  resumeUpdate,
  rolloutStatusQuery,
  supersedeSignal,
} from './messages.js';
import { RolloutMoves } from './moves.js';
import { describeStep, type RolloutStep, rolloutSteps } from './plan.js';
import { RolloutState } from './state.js';
import type { MetricCheck, RolloutSpec } from './types.js';

export { rolloutWorkflowId } from '../../core/workflow-ids.js';

/**
 * One rollout of a new revision, as Flagger runs a Canary: scale the canary up, wait until ready, run
 * pre-rollout hooks, go through the strategy's steps (shift weight, pause, analyse) with gates, then
 * promote (copy to primary, route everything back to it, scale the canary to zero) or roll back.
 * promote / abort / pause / resume are updates; every step is an activity, so a restarted worker
 * continues at the same step.
 */
export async function rolloutWorkflow(input: RolloutInput): Promise<RolloutStatus> {
  const st = await runRollout(input);
  // Rolled back, aborted or not initialised: the workflow fails (red in the UI), its status in the failure.
  if (st.phase === 'Failed') endAsFailed(failureType(st), st.message, st);
  return st;
}

/** Why a rollout failed, as its failure type: aborted, rolled back, or failed without a rollback. */
function failureType(st: RolloutStatus): string {
  if (st.failed?.name === 'abort') return RunFailure.aborted;
  return st.failed ? RunFailure.rolledBack : RunFailure.rolloutFailed;
}

/** The rollout's steps, answering its final status (promoted, initialised, superseded or failed). */
async function runRollout(input: RolloutInput): Promise<RolloutStatus> {
  const { spec, target } = input;
  const intervalMs = durationMs(spec.analysis?.interval ?? DEFAULT_ANALYSIS_INTERVAL);
  const deadlineMs = durationMs(spec.progressDeadline ?? '10m');
  const steps = input.initialize || spec.skipAnalysis ? [] : rolloutSteps(spec);
  const state = new RolloutState(input, steps.length);
  const { st, interrupted } = state;
  const checks = new RolloutChecks(input, st, intervalMs, interrupted);
  const moves = new RolloutMoves(input, state, checks, deadlineMs);

  setHandler(rolloutStatusQuery, () => st);
  setHandler(promoteUpdate, (req) => state.promote(req), {
    validator: (req) => state.gateCheck('promote', req),
  });
  setHandler(abortUpdate, (req) => state.abort(req), { validator: (_request) => state.notDone() });
  setHandler(pauseUpdate, () => state.pause(), { validator: () => state.notDone() });
  setHandler(resumeUpdate, (req) => state.resume(req), {
    validator: (req) => state.gateCheck('resume', req),
  });
  setHandler(supersedeSignal, (req) => state.supersede(req));

  let nextTick = 0;
  let cancelled = false;
  /** Runs one step; answers a failure that must roll back, or undefined to go on. */
  const runStep = async (step: RolloutStep): Promise<FailedCheck | undefined> => {
    if (step.kind === 'weight') {
      const before = workflowNow();
      if (step.weight > st.canaryWeight && !(await checks.gate('confirm-traffic-increase'))) return;
      if (workflowNow() > before) nextTick = workflowNow(); // a gate was asked: the interval starts now
      await moves.route(step.weight, {
        ...(step.match ? { match: step.match } : {}),
        ...(step.mirror ? { mirror: true } : {}),
      });
      await checks.announce(
        rolloutStepAdvanced(checks.subject, { weight: step.weight, index: st.step + 1, of: st.steps }),
      );
      return;
    }
    if (step.kind === 'scale') {
      // Only Rollouts whose steps say setCanaryScale reach this: no running workflow's history has it.
      const replicas = step.replicas ?? Math.ceil((input.replicas * (step.weight ?? 100)) / 100);
      await moves.scaleCanary(replicas);
      if (replicas === 0) return;
      const ready = await moves.readyBy(target.target);
      return ready.ready ? undefined : { name: 'progress-deadline', message: ready.message };
    }
    if (step.kind === 'pause') {
      state.released = false;
      if (step.durationMs === undefined) {
        state.setPhase('Paused', 'waiting to be promoted (or resumed)');
        await checks.announce(rolloutPaused(checks.subject, 'waiting to be promoted', st.canaryWeight));
        await condition(() => state.released || interrupted());
      } else {
        await condition(() => state.released || interrupted(), step.durationMs);
      }
      if (!interrupted() && !state.paused)
        state.setPhase('Progressing', `step ${st.step + 1}/${st.steps} done`);
      nextTick = workflowNow(); // intervals count again from the end of the pause
      return;
    }
    for (let passed = 0; passed < step.iterations; ) {
      // A ticker, as Flagger's: rounds start one interval apart however long a round's checks took.
      nextTick += intervalMs;
      await condition(interrupted, Math.max(0, nextTick - workflowNow()));
      if (state.paused) {
        await condition(() => !state.paused || interrupted());
        nextTick = workflowNow();
      }
      if (interrupted()) return;
      const round = await checks.round(step.metrics as MetricCheck[] | undefined);
      if (round.rollback) return round.rollback;
      if (round.passed) passed++;
      else if (st.failedChecks >= st.threshold) return round.failed;
    }
    return;
  };

  try {
    if (input.initialize) return await moves.initialize();
    await checks.announce(rolloutStarted(checks.subject, strategyName(spec)));
    await moves.kube(`services ${target.service.name}, -primary, -canary`).ensureRolloutServices(target);
    const ab = steps.find((s) => s.kind === 'weight' && s.match);
    await moves.kube(`reconcile ${target.provider} routing`).reconcileTraffic({
      target,
      ...(ab?.kind === 'weight' && ab.match ? { match: ab.match } : {}),
    });
    await moves.route(0);
    await moves.scaleCanary(input.replicas);
    st.message = 'waiting for the canary to become ready';
    const ready = await moves.readyBy(target.target);
    if (!ready.ready) return await moves.rollBack({ name: 'progress-deadline', message: ready.message });
    if (!(await checks.gate('confirm-rollout')) && !state.promoteRequested) return await moves.interruption();
    const pre = await checks.preRollout();
    if (pre) return await moves.rollBack(pre);
    nextTick = workflowNow();
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as RolloutStep;
      st.step = i;
      st.stepName = describeStep(step);
      await condition(() => !state.paused || interrupted());
      if (interrupted()) break;
      const failed = await runStep(step);
      if (failed) return await moves.rollBack(failed);
      if (interrupted()) break;
    }
    if (state.abortReason !== undefined || state.superseded) return await moves.interruption();
    if (!state.promoteRequested && !(await checks.gate('confirm-promotion')) && !state.promoteRequested)
      return await moves.interruption();
    return await moves.promote();
  } catch (err) {
    // Cancelled from outside ("Request Cancellation" in the Temporal UI): the root scope is cancelled, so
    // the rollback runs in a scope of its own or none of its activities would be scheduled.
    if (isCancellation(err) && patched('rollback-on-cancel')) {
      cancelled = true;
      await CancellationScope.nonCancellable(() => rollBackOnCancel());
      throw err;
    }
    log.error('rollout step failed', { error: String(err) });
    if (st.phase === 'RollingBack' || st.phase === 'Promoting' || st.phase === 'Initializing') {
      state.setPhase('Failed', `${st.phase.toLowerCase()} failed: ${failureMessage(err)}`);
      await checks.announce(rolloutFailed(checks.subject, st.message));
      throw ApplicationFailure.create({
        message: st.message,
        type: RunFailure.rolloutFailed,
        nonRetryable: true,
        details: [st],
      });
    }
    return await moves.rollBack({ name: 'rollout-step', message: failureMessage(err) });
  } finally {
    // In a cancelled scope the wait would throw at once instead of letting handlers finish.
    if (cancelled) await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
    else await condition(allHandlersFinished);
  }

  /** Rolls back after a cancellation; a rollback that fails too leaves the rollout Failed, not stuck. */
  async function rollBackOnCancel(): Promise<void> {
    try {
      await moves.rollBack({ name: 'cancelled', message: 'cancelled (Request Cancellation)' });
    } catch (err) {
      state.setPhase('Failed', `rolling back after a cancellation failed: ${failureMessage(err)}`);
    }
  }
}

function strategyName(spec: RolloutSpec): string {
  if (spec.strategy.blueGreen) return 'blue/green';
  if (spec.strategy.abTesting) return 'A/B testing';
  return 'canary';
}
