// One durable workflow per Pipeline run (`pipeline/<name>/<run>`): steps in order (parallel groups at
// once), `if` conditions and `${{ }}` inputs resolved from the trigger and earlier outputs, onFailure
// steps and alerts when a step fails, a retry window, and approve / cancel / retry-step updates.
// A restarted worker replays the history and carries on at the same step.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { StepActivities } from '../../activities/steps/index.js';
import type { PipelineParallelGroup, PipelineStep } from '../../schemas/types.generated.js';
import { activities, bookkeeping } from '../activity-options.js';
import { newAlertState, notify, resolveAlertRoutes } from '../shared/alerts.js';
import { ApprovalGate, approverList } from '../shared/approval-gate.js';
import { durationMs } from '../shared/duration.js';
import { failureMessage } from '../shared/failure-message.js';
import { workflowNow } from '../shared/workflow-time.js';
import { type ExpressionContext, evaluateCondition, interpolate } from './expressions.js';
import { lockAnswerSignal, lockReleaseSignal, pipelineLockId } from './lock-messages.js';
import type { ConcurrencyPolicy } from './lock-state.js';
import {
  approveUpdate,
  cancelRunUpdate,
  type PipelineRunInput,
  type PipelineRunStatus,
  pipelineStatusQuery,
  type RunPhase,
  retryStepUpdate,
  type StepStatus,
} from './messages.js';
import { executeStep } from './steps.js';

type Entry = PipelineStep | PipelineParallelGroup;
type Outcome = 'success' | 'failure' | 'skipped' | 'cancelled';

const isGroup = (e: Entry): e is PipelineParallelGroup => 'parallel' in e;
// biome-ignore lint/style/noRestrictedGlobals: formats workflow time (workflowNow), deterministic on replay
const iso = () => new Date(workflowNow()).toISOString();

/** Runs one Pipeline run; answers its final state (a failed run ends as a failed workflow). */
export async function pipelineWorkflow(input: PipelineRunInput): Promise<PipelineRunStatus> {
  const workflowId = workflowInfo().workflowId;
  // A run a Schedule started has no id of its own: its workflow ID's last part, "cron-<time>".
  const run = input.run || (workflowId.split('/').at(-1) as string);
  const { pipeline, trigger } = input;
  const spec = pipeline.spec;
  const entries = spec.steps as Entry[];
  const onFailure = spec.onFailure ?? [];
  const alertState = newAlertState();
  const steps: StepStatus[] = [
    ...entries.flatMap((e) =>
      isGroup(e)
        ? e.parallel.map((s) => ({
            name: s.name,
            uses: s.uses,
            group: e.name,
            phase: 'Pending' as const,
            attempts: 0,
          }))
        : [{ name: e.name, uses: e.uses, phase: 'Pending' as const, attempts: 0 }],
    ),
    ...onFailure.map((s) => ({
      name: s.name,
      uses: s.uses,
      group: 'onFailure',
      phase: 'Pending' as const,
      attempts: 0,
    })),
  ];
  const stepStatus = (name: string) => steps.find((s) => s.name === name) as StepStatus;
  const ctx: ExpressionContext = {
    trigger: { ...trigger },
    steps: {},
    run: { id: run, workflowId },
    pipeline: { name: pipeline.name, namespace: pipeline.namespace },
  };
  const approvals: Record<string, { by: string; at: string; verified: boolean }> = {};
  const gate = new ApprovalGate();
  const status: PipelineRunStatus = {
    pipeline: pipeline.name,
    run,
    phase: 'Running',
    trigger,
    current: [],
    steps,
    startedAt: iso(),
  };
  let cancelRequested = false;
  let retryFrom: string | undefined;
  const running = new Set<CancellationScope>();

  const setPhase = (phase: RunPhase) => {
    status.phase = phase;
    upsertSearchAttributes({ SluicePhase: [phase] });
  };
  const snapshot = (): PipelineRunStatus => ({
    ...status,
    current: steps.filter((s) => s.phase === 'Running' || s.phase === 'Waiting').map((s) => s.name),
  });
  const providers = Object.entries(input.alertProviders ?? {}).map(([key, providerSpec]) => {
    const [namespace, name] = key.split('/');
    return {
      apiVersion: 'sluice.dev/v1alpha1' as const,
      kind: 'AlertProvider' as const,
      metadata: { name: name as string, namespace },
      spec: providerSpec,
    };
  });
  const { routes } = resolveAlertRoutes(
    spec.alerts,
    providers,
    { repoId: pipeline.repoId, project: pipeline.project },
    pipeline.namespace,
  );
  const announce = (type: string, severity: 'info' | 'warn' | 'error', message: string) =>
    notify(alertState, routes, {
      type,
      severity,
      subject: pipeline.name,
      message,
      ...(trigger.revision ? { revision: trigger.revision } : {}),
      fields: { pipeline: pipeline.name, run },
    });

  const runtime = {
    input,
    run,
    workflowId,
    alertState,
    waitForApproval: async (step: string, timeoutMs?: number) => {
      const s = stepStatus(step);
      s.phase = 'Waiting';
      setPhase('Waiting');
      await announce(
        'pipeline.approvalRequired',
        'info',
        `Pipeline ${pipeline.name} run ${run} waits for approval of ${step}`,
      );
      const done = () => approvals[step] !== undefined;
      let ok = true;
      // No timeout: a timer-free wait that can last days (nothing in history until someone approves).
      if (timeoutMs === undefined) await condition(done);
      else ok = await condition(done, timeoutMs);
      if (status.phase === 'Waiting') setPhase('Running');
      if (!ok) return undefined;
      const a = approvals[step] as { by: string; at: string; verified: boolean };
      s.approvedBy = a.by;
      s.approvedAt = a.at;
      s.approvalVerified = a.verified;
      return a;
    },
  };

  /** An `if` as true or false, or the message of an expression that cannot be evaluated (the step fails). */
  const ifHolds = (text: string | undefined): boolean | string => {
    if (!text) return true;
    try {
      return evaluateCondition(text, ctx);
    } catch (err) {
      return `if: ${failureMessage(err)}`;
    }
  };

  /** Runs one step in its own cancellation scope (the cancel update cancels it). */
  const runStep = async (step: PipelineStep): Promise<Outcome> => {
    const s = stepStatus(step.name);
    const when = ifHolds(step.if);
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
    running.add(scope);
    try {
      const inputs = interpolate(step.with ?? {}, ctx) as Record<string, unknown>;
      const outputs = await scope.run(() => executeStep(step, inputs, runtime));
      s.phase = 'Succeeded';
      s.outputs = outputs;
      ctx.steps[step.name] = { outcome: 'success', outputs };
      return 'success';
    } catch (err) {
      if (isCancellation(err) && !cancelRequested) throw err; // the whole workflow was cancelled
      const cancelled = cancelRequested && isCancellation(err);
      s.phase = cancelled ? 'Cancelled' : 'Failed';
      s.message = cancelled ? 'cancelled' : failureMessage(err);
      ctx.steps[step.name] = { outcome: cancelled ? 'cancelled' : 'failure', outputs: {} };
      if (!cancelled) log.warn('pipeline step failed', { step: step.name, error: s.message });
      if (cancelled) return 'cancelled';
      return step.continueOnError ? 'success' : 'failure';
    } finally {
      running.delete(scope);
      s.finishedAt = iso();
    }
  };

  /** Runs the main steps from an index; answers the name of the entry that failed, if one did. */
  const runMain = async (from: number): Promise<string | undefined> => {
    for (const entry of entries.slice(from)) {
      if (cancelRequested) return undefined;
      if (isGroup(entry)) {
        const when = ifHolds(entry.if);
        if (typeof when === 'string') {
          status.message = when;
          ctx.steps[entry.name] = { outcome: 'failure', outputs: {} };
          return entry.name;
        }
        if (!when) {
          for (const s of entry.parallel) {
            stepStatus(s.name).phase = 'Skipped';
            ctx.steps[s.name] = { outcome: 'skipped', outputs: {} };
          }
          ctx.steps[entry.name] = { outcome: 'skipped', outputs: {} };
          continue;
        }
        const outcomes = await Promise.all(entry.parallel.map(runStep));
        const failed = entry.parallel.find((_s, i) => outcomes[i] === 'failure');
        ctx.steps[entry.name] = { outcome: failed ? 'failure' : 'success', outputs: {} };
        if (failed) return failed.name;
      } else if ((await runStep(entry)) === 'failure') return entry.name;
    }
    return undefined;
  };

  setHandler(pipelineStatusQuery, snapshot);
  /** The approvers an approve step lists, as written in the Pipeline (expressions are not resolved). */
  const approversOf = (step: string) =>
    approverList(
      [...entries.flatMap((e) => (isGroup(e) ? e.parallel : [e])), ...onFailure].find((x) => x.name === step)
        ?.with?.approvers,
    );
  setHandler(
    approveUpdate,
    async ({ step, by, token }) => {
      // Runs approved before signed approvals existed replay as they ran: the name as given.
      if (!patched('signed-approvals')) {
        approvals[step] = { by: by as string, at: iso(), verified: false };
        return snapshot();
      }
      const target = { workflowId, runId: workflowInfo().runId, act: 'approve' as const, step };
      const who = await gate.authorize({ by, token }, target, approversOf(step), `step "${step}"`);
      const s = stepStatus(step);
      if (s.phase !== 'Waiting' || approvals[step])
        throw ApplicationFailure.nonRetryable(
          `step "${step}" is ${s.phase}, not waiting for approval`,
          'ApprovalRefused',
        );
      approvals[step] = { ...who, at: iso() };
      return snapshot();
    },
    {
      validator: ({ step, by, token }) => {
        const s = steps.find((x) => x.name === step);
        if (!s)
          throw new Error(`run ${run} has no step "${step}" (steps: ${steps.map((x) => x.name).join(', ')})`);
        if (s.uses !== 'approve') throw new Error(`step "${step}" is a ${s.uses} step, not an approve step`);
        if (s.phase !== 'Waiting') throw new Error(`step "${step}" is ${s.phase}, not waiting for approval`);
        if (!by && !token) throw new Error('say who approves ("by"), or sign the approval ("token")');
        gate.precheck({ by, token }, approversOf(step), `step "${step}"`, 'sluice pipeline approve RUN STEP');
      },
    },
  );
  setHandler(
    cancelRunUpdate,
    ({ by, reason }) => {
      cancelRequested = true;
      status.message = `cancelled${by ? ` by ${by}` : ''}${reason ? `: ${reason}` : ''}`;
      for (const scope of running) scope.cancel();
      return snapshot();
    },
    {
      validator: (_req) => {
        if (['Succeeded', 'Cancelled', 'Skipped'].includes(status.phase))
          throw new Error(`run ${run} already ended ${status.phase}`);
      },
    },
  );
  setHandler(
    retryStepUpdate,
    ({ step }) => {
      retryFrom = step;
      return snapshot();
    },
    {
      validator: ({ step }) => {
        if (status.phase !== 'Failed')
          throw new Error(`run ${run} is ${status.phase}: only a failed run can be retried`);
        const index = entryIndex(entries, step);
        if (index < 0) throw new Error(`run ${run} has no main step "${step}"`);
        if (index > entryIndex(entries, status.failedStep as string))
          throw new Error(
            `"${step}" comes after the failed step "${status.failedStep}": retry from it or an earlier one`,
          );
      },
    },
  );

  // The Pipeline's run lock (workflows/pipeline/lock.ts) applies `concurrency`; a failed run gives the
  // lock up while it waits for a retry, and a retry waits its turn behind newer runs.
  let ticket = 0;
  let lockAnswer: { granted: boolean; holder?: string } | undefined;
  let holdsOrWaits = false;
  setHandler(lockAnswerSignal, ({ ticket: t, ...answer }) => {
    if (t === ticket) lockAnswer = answer;
  });
  const lockActs = activities<StepActivities>(bookkeeping);
  /** Waits for the lock; false when the policy skips this run or the run is cancelled meanwhile. */
  const acquire = async (policy: ConcurrencyPolicy): Promise<boolean> => {
    ticket++;
    lockAnswer = undefined;
    holdsOrWaits = true;
    setPhase('Queued');
    await lockActs.requestPipelineLock({
      lockId: pipelineLockId(pipeline.repoId, pipeline.name),
      pipeline: pipeline.name,
      runId: workflowId,
      policy,
      ticket,
    });
    await condition(() => lockAnswer !== undefined || cancelRequested);
    // (TypeScript cannot see that the signal handler assigned it meanwhile.)
    const answer = lockAnswer as { granted: boolean; holder?: string } | undefined;
    if (answer?.granted) return true;
    if (answer) {
      holdsOrWaits = false;
      status.message = `skipped: run ${answer.holder} is running (concurrency: skip)`;
      log.info('another run holds the lock: skipping this one', { holder: answer.holder });
    }
    return false;
  };
  /** Gives the lock up (or the place in its queue); runs even when the workflow is being cancelled. */
  const release = async () => {
    if (!holdsOrWaits) return;
    holdsOrWaits = false;
    await CancellationScope.nonCancellable(() =>
      getExternalWorkflowHandle(pipelineLockId(pipeline.repoId, pipeline.name))
        .signal(lockReleaseSignal, { runId: workflowId })
        .catch((err: unknown) => log.warn('could not release the run lock', { error: failureMessage(err) })),
    );
  };

  try {
    return await runWithLock();
  } finally {
    await release();
  }

  async function runWithLock(): Promise<PipelineRunStatus> {
    if (!(await acquire(spec.concurrency ?? 'queue'))) {
      setPhase(cancelRequested ? 'Cancelled' : 'Skipped');
      return finish();
    }
    setPhase('Running');

    let from = 0;
    for (;;) {
      const failed = await runMain(from);
      if (cancelRequested) {
        setPhase('Cancelled');
        return finish();
      }
      if (failed === undefined) {
        setPhase('Succeeded');
        await announce('pipeline.succeeded', 'info', `Pipeline ${pipeline.name} run ${run} succeeded`);
        return finish();
      }
      status.failedStep = failed;
      status.message = `step ${failed} failed: ${stepStatus(failed)?.message ?? 'see the step'}`;
      ctx.run.failedStep = failed;
      setPhase('Failed');
      for (const step of onFailure) await runStep(step);
      await announce('pipeline.failed', 'error', `Pipeline ${pipeline.name} run ${run}: ${status.message}`);
      await release();
      const windowMs = durationMs(spec.retryWindow ?? '1h');
      const retried =
        windowMs > 0 && (await condition(() => retryFrom !== undefined || cancelRequested, windowMs));
      if (!retried || cancelRequested || retryFrom === undefined) {
        if (cancelRequested) {
          setPhase('Cancelled');
          return finish();
        }
        finish();
        throw ApplicationFailure.nonRetryable(status.message, 'PipelineRunFailed', snapshot());
      }
      from = entryIndex(entries, retryFrom);
      retryFrom = undefined;
      resetFrom(steps, entries, from, onFailure);
      delete status.failedStep;
      delete status.message;
      delete ctx.run.failedStep;
      // Someone asked for this retry: it waits its turn whatever the policy says about new runs.
      if (!(await acquire('queue'))) {
        setPhase('Cancelled');
        return finish();
      }
      setPhase('Running');
    }
  }

  function finish(): PipelineRunStatus {
    status.finishedAt = iso();
    return snapshot();
  }
}

/** Index of the main entry holding a step (or the group of that name); -1 when there is none. */
function entryIndex(entries: Entry[], step: string): number {
  return entries.findIndex((e) => e.name === step || (isGroup(e) && e.parallel.some((s) => s.name === step)));
}

/** Marks the steps from a main index on, and every onFailure step, Pending again for a retry. */
function resetFrom(steps: StepStatus[], entries: Entry[], from: number, onFailure: PipelineStep[]): void {
  const names = new Set([
    ...entries.slice(from).flatMap((e) => (isGroup(e) ? e.parallel.map((s) => s.name) : [e.name])),
    ...onFailure.map((s) => s.name),
  ]);
  for (const s of steps)
    if (names.has(s.name)) {
      s.phase = 'Pending';
      delete s.message;
      delete s.outputs;
      delete s.finishedAt;
    }
}
