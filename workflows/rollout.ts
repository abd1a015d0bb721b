import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { nonRetryableErrorTypes } from '../activities/errors.js';
import {
  rolloutFailed,
  rolloutPaused,
  rolloutPromoted,
  rolloutRolledBack,
  rolloutStarted,
  rolloutStepAdvanced,
} from '../activities/events/kinds.js';
import type { SluiceActivities } from '../activities/index.js';
import { RunFailure } from '../core/run-endings.js';
import type { AlertProviderSpec, MetricTemplateSpec } from '../schemas/types.generated.js';
import { ApprovalGate, type ApprovalRequest, approverList } from './approval-gate.js';
import { clusterTaskQueue } from './cluster-queue.js';
import { durationMs } from './duration.js';
import { endAsFailed } from './failed-ending.js';
import { failureMessage } from './failure-message.js';
import { failedMetric, RolloutChecks } from './rollout-checks.js';
import {
  abortUpdate,
  type FailedCheck,
  isTerminal,
  pauseUpdate,
  promoteUpdate,
  type RolloutStatus,
  resumeUpdate,
  rolloutStatusQuery,
  supersedeSignal,
} from './rollout-messages.js';
import { describeStep, type RolloutStep, rolloutSteps } from './rollout-plan.js';
import type { MetricCheck, RequestMatch, RolloutSpec, RolloutTarget } from './rollout-types.js';
import { workflowNow } from './workflow-time.js';

export * from './rollout-messages.js';

/** Input of a rollout workflow: one new revision of one Rollout's target. */
export interface RolloutInput {
  /** Repository the Application was declared in: with app, its identity. */
  repoId: string;
  app: string;
  project: string;
  /** Commit the application synced. */
  revision: string;
  target: RolloutTarget;
  spec: RolloutSpec;
  /** Checksum of the new version (from inspectRollout). */
  checksum: string;
  /** Replicas the canary runs at (the primary's). */
  replicas: number;
  /** No primary yet: create it from the target and stop (the first revision goes straight to primary). */
  initialize: boolean;
  /** Namespace of the Rollout object in the pipeline files: its templateRefs default to it. */
  rolloutNamespace: string;
  /** MetricTemplates the checks may reference, by "namespace/name". */
  metricTemplates: Record<string, MetricTemplateSpec>;
  /** AlertProviders the Rollout's alerts may reference, by "namespace/name". */
  alertProviders: Record<string, AlertProviderSpec>;
  cluster?: string;
}

export { rolloutWorkflowId } from '../core/workflow-ids.js';

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
  const intervalMs = durationMs(spec.analysis?.interval ?? '1m');
  const deadlineMs = durationMs(spec.progressDeadline ?? '10m');
  const steps = input.initialize || spec.skipAnalysis ? [] : rolloutSteps(spec);
  const queue = clusterTaskQueue(input.cluster);
  const onQueue = queue ? { taskQueue: queue } : {};
  // Each call carries a one-line summary, so the Temporal UI's history reads like a log.
  const kube = (summary: string) =>
    proxyActivities<SluiceActivities>({
      startToCloseTimeout: '1 minute',
      retry: { maximumAttempts: 10, nonRetryableErrorTypes },
      summary,
      ...onQueue,
    });
  const waits = (summary: string) =>
    proxyActivities<SluiceActivities>({
      startToCloseTimeout: deadlineMs + 60_000,
      heartbeatTimeout: '30 seconds',
      retry: { maximumAttempts: 10 },
      summary,
      ...onQueue,
    });

  const st: RolloutStatus = {
    rollout: target.rollout,
    app: input.app,
    namespace: target.namespace,
    revision: input.revision,
    checksum: input.checksum,
    phase: input.initialize ? 'Initializing' : 'Progressing',
    step: 0,
    steps: steps.length,
    canaryWeight: 0,
    failedChecks: 0,
    threshold: spec.analysis?.threshold ?? 5,
    analysisRounds: 0,
    message: input.initialize ? 'creating the primary' : 'starting',
  };
  let paused = false;
  let released = false; // a "pause until promoted" step may also end by resume
  let promoteRequested = false;
  let abortReason: string | undefined;
  let superseded = false;
  const interrupted = () => abortReason !== undefined || promoteRequested || superseded;
  const checks = new RolloutChecks(input, st, intervalMs, interrupted);

  const setPhase = (phase: RolloutStatus['phase'], message: string) => {
    st.phase = phase;
    st.message = message;
    upsertSearchAttributes({ SluicePhase: [phase] });
  };

  setHandler(rolloutStatusQuery, () => st);
  const whenDone = async () => {
    await condition(() => isTerminal(st.phase));
    return st;
  };
  const notDone = () => {
    if (isTerminal(st.phase)) throw new Error(`the rollout has already ended: ${st.phase} (${st.message})`);
  };
  // Promote and resume are gates: with `promotion.approvers` only a signed approval from one of them
  // passes; without, anyone may, recorded unverified. Abort and pause stay open (the safe direction).
  const gate = new ApprovalGate();
  const approvers = approverList(spec.promotion?.approvers);
  const gateCheck = (action: 'promote' | 'resume') => (req: ApprovalRequest | undefined) => {
    notDone();
    gate.precheck(req, approvers, `${action} of ${input.app}`, `sluice rollout ${action} NAME`);
  };
  /** Verifies and records who passed a gate; throws (the update fails, nothing changes) when refused. */
  const authorize = async (action: 'promote' | 'resume', req: ApprovalRequest | undefined) => {
    const target = { workflowId: workflowInfo().workflowId, runId: workflowInfo().runId, act: action };
    const who = await gate.authorize(req, target, approvers, `${action} of ${input.app}`);
    if (isTerminal(st.phase))
      throw ApplicationFailure.nonRetryable(
        `the rollout has already ended: ${st.phase} (${st.message})`,
        'ApprovalRefused',
      );
    // biome-ignore lint/style/noRestrictedGlobals: formats workflow time (workflowNow), deterministic on replay
    const at = new Date(workflowNow()).toISOString();
    st.approvals = [...(st.approvals ?? []), { action, ...who, at }].slice(-20);
  };
  setHandler(
    promoteUpdate,
    async (req) => {
      // Gates passed before approvals were checked replay as they ran (synchronously, as then).
      if (patched('signed-gates')) await authorize('promote', req);
      promoteRequested = true;
      paused = false;
      return whenDone();
    },
    { validator: gateCheck('promote') },
  );
  setHandler(
    abortUpdate,
    async ({ reason }) => {
      abortReason = reason ? `aborted: ${reason}` : 'aborted by request';
      return whenDone();
    },
    { validator: (_request) => notDone() },
  );
  setHandler(
    pauseUpdate,
    () => {
      paused = true;
      setPhase('Paused', `paused at step ${st.step + 1}/${st.steps} (${st.stepName ?? 'start'})`);
      return st;
    },
    { validator: notDone },
  );
  setHandler(
    resumeUpdate,
    async (req) => {
      if (patched('signed-gates')) await authorize('resume', req);
      paused = false;
      released = true;
      setPhase('Progressing', `resumed at step ${st.step + 1}/${st.steps} (${st.stepName ?? 'start'})`);
      return st;
    },
    { validator: gateCheck('resume') },
  );
  setHandler(supersedeSignal, ({ revision }) => {
    superseded = true;
    st.message = `superseded by ${revision.slice(0, 7)}`;
  });

  const route = async (weight: number, extra: { match?: RequestMatch[]; mirror?: boolean } = {}) => {
    await kube(
      `shift weight → ${weight}% canary${extra.match ? ' (A/B match)' : ''}${extra.mirror ? ' (mirrored)' : ''}`,
    ).setTrafficRoutes({
      target,
      routes: { primaryWeight: 100 - weight, canaryWeight: weight, ...extra },
    });
    st.canaryWeight = weight;
  };
  const readyBy = async (name: string) =>
    waits(`wait for ${name} to be ready`).waitDeploymentReady({
      namespace: target.namespace,
      name,
      deadlineAt: workflowNow() + deadlineMs,
    });
  const primary = `${target.target}-primary`;

  const rollBack = async (failed: FailedCheck): Promise<RolloutStatus> => {
    const weightAtFailure = st.canaryWeight;
    setPhase('RollingBack', failed.message);
    await route(0);
    await kube(`scale ${target.target} (canary) to 0`).scaleDeployment({
      namespace: target.namespace,
      name: target.target,
      replicas: 0,
    });
    st.failed = failed;
    setPhase('Failed', `rolled back: ${failed.message}`);
    await checks.hooks('post-rollout');
    const metric = failedMetric(failed);
    await checks.announce(
      rolloutRolledBack(checks.subject, {
        reason: failed.message,
        ...(metric ? { metric } : {}),
        weight: weightAtFailure,
      }),
    );
    return st;
  };

  const promote = async (): Promise<RolloutStatus> => {
    setPhase('Promoting', 'copying the new version to the primary');
    await kube(`copy ${target.target} to ${primary}`).promoteToPrimary(target);
    const ready = await readyBy(primary);
    if (!ready.ready) return rollBack({ name: 'primary-ready', message: ready.message });
    await route(0);
    await kube(`scale ${target.target} (canary) to 0`).scaleDeployment({
      namespace: target.namespace,
      name: target.target,
      replicas: 0,
    });
    setPhase('Succeeded', `promoted ${input.checksum} to ${primary}`);
    await checks.hooks('post-rollout');
    await checks.announce(rolloutPromoted(checks.subject));
    return st;
  };

  const initialize = async (): Promise<RolloutStatus> => {
    await kube(`services ${target.service.name}, -primary, -canary`).ensureRolloutServices(target);
    await kube(`copy ${target.target} to ${primary}`).promoteToPrimary(target);
    const ready = await readyBy(primary);
    if (!ready.ready) {
      setPhase('Failed', ready.message);
      return st;
    }
    await kube(`reconcile ${target.provider} routing`).reconcileTraffic({ target });
    await route(0);
    await kube(`scale ${target.target} (canary) to 0`).scaleDeployment({
      namespace: target.namespace,
      name: target.target,
      replicas: 0,
    });
    setPhase('Initialized', `${primary} serves ${input.checksum}; later revisions roll out progressively`);
    await checks.announce({
      type: 'rollout.initialized',
      severity: 'info',
      ...checks.subject,
      message: `${input.app}: ${st.message}`,
    });
    return st;
  };

  let nextTick = 0;
  let cancelled = false;
  /** Runs one step; answers a failure that must roll back, or undefined to go on. */
  const runStep = async (step: RolloutStep): Promise<FailedCheck | undefined> => {
    if (step.kind === 'weight') {
      const before = workflowNow();
      if (step.weight > st.canaryWeight && !(await checks.gate('confirm-traffic-increase'))) return;
      if (workflowNow() > before) nextTick = workflowNow(); // a gate was asked: the interval starts now
      await route(step.weight, {
        ...(step.match ? { match: step.match } : {}),
        ...(step.mirror ? { mirror: true } : {}),
      });
      await checks.announce(
        rolloutStepAdvanced(checks.subject, { weight: step.weight, index: st.step + 1, of: st.steps }),
      );
      return;
    }
    if (step.kind === 'pause') {
      released = false;
      if (step.durationMs === undefined) {
        setPhase('Paused', 'waiting to be promoted (or resumed)');
        await checks.announce(rolloutPaused(checks.subject, 'waiting to be promoted', st.canaryWeight));
        await condition(() => released || interrupted());
      } else {
        await condition(() => released || interrupted(), step.durationMs);
      }
      if (!interrupted() && !paused) setPhase('Progressing', `step ${st.step + 1}/${st.steps} done`);
      nextTick = workflowNow(); // intervals count again from the end of the pause
      return;
    }
    for (let passed = 0; passed < step.iterations; ) {
      // A ticker, as Flagger's: rounds start one interval apart however long a round's checks took.
      nextTick += intervalMs;
      await condition(interrupted, Math.max(0, nextTick - workflowNow()));
      if (paused) {
        await condition(() => !paused || interrupted());
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
    if (input.initialize) return await initialize();
    await checks.announce(rolloutStarted(checks.subject, strategyName(spec)));
    await kube(`services ${target.service.name}, -primary, -canary`).ensureRolloutServices(target);
    const ab = steps.find((s) => s.kind === 'weight' && s.match);
    await kube(`reconcile ${target.provider} routing`).reconcileTraffic({
      target,
      ...(ab?.kind === 'weight' && ab.match ? { match: ab.match } : {}),
    });
    await route(0);
    await kube(`scale ${target.target} (canary) to ${input.replicas}`).scaleDeployment({
      namespace: target.namespace,
      name: target.target,
      replicas: input.replicas,
    });
    st.message = 'waiting for the canary to become ready';
    const ready = await readyBy(target.target);
    if (!ready.ready) return await rollBack({ name: 'progress-deadline', message: ready.message });
    if (!(await checks.gate('confirm-rollout')) && !promoteRequested) return await interruption();
    const pre = await checks.preRollout();
    if (pre) return await rollBack(pre);
    nextTick = workflowNow();
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as RolloutStep;
      st.step = i;
      st.stepName = describeStep(step);
      await condition(() => !paused || interrupted());
      if (interrupted()) break;
      const failed = await runStep(step);
      if (failed) return await rollBack(failed);
      if (interrupted()) break;
    }
    if (abortReason !== undefined || superseded) return await interruption();
    if (!promoteRequested && !(await checks.gate('confirm-promotion')) && !promoteRequested)
      return await interruption();
    return await promote();
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
      setPhase('Failed', `${st.phase.toLowerCase()} failed: ${failureMessage(err)}`);
      await checks.announce(rolloutFailed(checks.subject, st.message));
      throw ApplicationFailure.create({
        message: st.message,
        type: RunFailure.rolloutFailed,
        nonRetryable: true,
        details: [st],
      });
    }
    return await rollBack({ name: 'rollout-step', message: failureMessage(err) });
  } finally {
    // In a cancelled scope the wait would throw at once instead of letting handlers finish.
    if (cancelled) await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
    else await condition(allHandlersFinished);
  }

  /** Rolls back after a cancellation; a rollback that fails too leaves the rollout Failed, not stuck. */
  async function rollBackOnCancel(): Promise<void> {
    try {
      await rollBack({ name: 'cancelled', message: 'cancelled (Request Cancellation)' });
    } catch (err) {
      setPhase('Failed', `rolling back after a cancellation failed: ${failureMessage(err)}`);
    }
  }

  /** Ends the rollout for an abort or a newer revision (promote requests never get here). */
  async function interruption(): Promise<RolloutStatus> {
    if (abortReason !== undefined) return rollBack({ name: 'abort', message: abortReason });
    await route(0);
    setPhase('Superseded', st.message);
    return st;
  }
}

function strategyName(spec: RolloutSpec): string {
  if (spec.strategy.blueGreen) return 'blue/green';
  if (spec.strategy.abTesting) return 'A/B testing';
  return 'canary';
}
