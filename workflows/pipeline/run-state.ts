// The state of one Pipeline run and the logic of its approve / cancel / retry-step handlers, as
// Temporal's safe-message-handlers sample keeps a workflow's state in a class its handlers call.
import {
  ApplicationFailure,
  type CancellationScope,
  condition,
  patched,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PipelineStep } from '../../schemas/types.generated.js';
import { type AlertRoute, newAlertState, notify, resolveAlertRoutes } from '../shared/alerts.js';
import { ApprovalGate, approverList } from '../shared/approval-gate.js';
import { workflowNow } from '../shared/workflow-time.js';
import type { ExpressionContext } from './expressions.js';
import type { PipelineRunInput, PipelineRunStatus, RunPhase, StepStatus } from './messages.js';
import { type Entry, entryIndex, initialSteps, isGroup } from './run-entries.js';
import type { StepRuntime } from './steps.js';

type Approval = { by: string; at: string; verified: boolean };

// biome-ignore lint/style/noRestrictedGlobals: formats workflow time (workflowNow), deterministic on replay
export const iso = () => new Date(workflowNow()).toISOString();

/** One run's steps, expression context, approvals and phase; what its steps and handlers share. */
export class PipelineRun implements StepRuntime {
  readonly workflowId = workflowInfo().workflowId;
  /** A run a Schedule started has no id of its own: its workflow ID's last part, "cron-<time>". */
  readonly run: string;
  readonly alertState = newAlertState();
  readonly entries: Entry[];
  readonly onFailure: PipelineStep[];
  readonly steps: StepStatus[];
  readonly ctx: ExpressionContext;
  readonly status: PipelineRunStatus;
  /** Scopes of the steps running now: the cancel update cancels them. */
  readonly running = new Set<CancellationScope>();
  cancelRequested = false;
  retryFrom: string | undefined;
  private readonly approvals: Record<string, Approval> = {};
  private readonly gate = new ApprovalGate();
  private readonly routes: AlertRoute[];

  constructor(readonly input: PipelineRunInput) {
    this.run = input.run || (this.workflowId.split('/').at(-1) as string);
    const { pipeline, trigger } = input;
    this.entries = pipeline.spec.steps as Entry[];
    this.onFailure = pipeline.spec.onFailure ?? [];
    this.steps = initialSteps(this.entries, this.onFailure);
    this.ctx = {
      trigger: { ...trigger },
      steps: {},
      run: { id: this.run, workflowId: this.workflowId },
      pipeline: { name: pipeline.name, namespace: pipeline.namespace },
    };
    this.status = {
      pipeline: pipeline.name,
      run: this.run,
      phase: 'Running',
      trigger,
      current: [],
      steps: this.steps,
      startedAt: iso(),
    };
    const providers = Object.entries(input.alertProviders ?? {}).map(([key, providerSpec]) => {
      const [namespace, name] = key.split('/');
      return {
        apiVersion: 'sluice.dev/v1alpha1' as const,
        kind: 'AlertProvider' as const,
        metadata: { name: name as string, namespace },
        spec: providerSpec,
      };
    });
    this.routes = resolveAlertRoutes(
      pipeline.spec.alerts,
      providers,
      { repoId: pipeline.repoId, project: pipeline.project },
      pipeline.namespace,
    ).routes;
  }

  /** The status of one step by name. */
  stepStatus(name: string): StepStatus {
    return this.steps.find((s) => s.name === name) as StepStatus;
  }

  /** Sets the run's phase and its SluicePhase search attribute. */
  setPhase(phase: RunPhase): void {
    this.status.phase = phase;
    upsertSearchAttributes({ SluicePhase: [phase] });
  }

  /** The `status` query's answer: the status with the steps running or waiting now. */
  snapshot(): PipelineRunStatus {
    return {
      ...this.status,
      current: this.steps.filter((s) => s.phase === 'Running' || s.phase === 'Waiting').map((s) => s.name),
    };
  }

  /** Stamps the end of the run and answers its final status. */
  finish(): PipelineRunStatus {
    this.status.finishedAt = iso();
    return this.snapshot();
  }

  /** Sends a run event to the Pipeline's alert routes. */
  announce(type: string, severity: 'info' | 'warn' | 'error', message: string) {
    const { pipeline, trigger } = this.input;
    return notify(this.alertState, this.routes, {
      type,
      severity,
      subject: pipeline.name,
      message,
      ...(trigger.revision ? { revision: trigger.revision } : {}),
      fields: { pipeline: pipeline.name, run: this.run },
    });
  }

  /** Resolves when someone approved the step (undefined when the timeout passed first). */
  async waitForApproval(step: string, timeoutMs?: number): Promise<Approval | undefined> {
    const s = this.stepStatus(step);
    s.phase = 'Waiting';
    this.setPhase('Waiting');
    await this.announce(
      'pipeline.approvalRequired',
      'info',
      `Pipeline ${this.input.pipeline.name} run ${this.run} waits for approval of ${step}`,
    );
    const done = () => this.approvals[step] !== undefined;
    let ok = true;
    // No timeout: a timer-free wait that can last days (nothing in history until someone approves).
    if (timeoutMs === undefined) await condition(done);
    else ok = await condition(done, timeoutMs);
    if (this.status.phase === 'Waiting') this.setPhase('Running');
    if (!ok) return undefined;
    const a = this.approvals[step] as Approval;
    s.approvedBy = a.by;
    s.approvedAt = a.at;
    s.approvalVerified = a.verified;
    return a;
  }

  /** The approvers an approve step lists, as written in the Pipeline (expressions are not resolved). */
  private approversOf(step: string) {
    return approverList(
      [...this.entries.flatMap((e) => (isGroup(e) ? e.parallel : [e])), ...this.onFailure].find(
        (x) => x.name === step,
      )?.with?.approvers,
    );
  }

  /** The approve update: checks who approves (signed approvals), then lets the waiting step go on. */
  async approve({
    step,
    by,
    token,
  }: {
    step: string;
    by?: string;
    token?: string;
  }): Promise<PipelineRunStatus> {
    // Runs approved before signed approvals existed replay as they ran: the name as given.
    if (!patched('signed-approvals')) {
      this.approvals[step] = { by: by as string, at: iso(), verified: false };
      return this.snapshot();
    }
    const target = {
      workflowId: this.workflowId,
      runId: workflowInfo().runId,
      act: 'approve' as const,
      step,
    };
    const who = await this.gate.authorize({ by, token }, target, this.approversOf(step), `step "${step}"`);
    const s = this.stepStatus(step);
    if (s.phase !== 'Waiting' || this.approvals[step])
      throw ApplicationFailure.nonRetryable(
        `step "${step}" is ${s.phase}, not waiting for approval`,
        'ApprovalRefused',
      );
    this.approvals[step] = { ...who, at: iso() };
    return this.snapshot();
  }

  /** The approve update's validator: an approve step that waits, and someone (or a signature) approving. */
  validateApprove({ step, by, token }: { step: string; by?: string; token?: string }): void {
    const s = this.steps.find((x) => x.name === step);
    if (!s)
      throw new Error(
        `run ${this.run} has no step "${step}" (steps: ${this.steps.map((x) => x.name).join(', ')})`,
      );
    if (s.uses !== 'approve') throw new Error(`step "${step}" is a ${s.uses} step, not an approve step`);
    if (s.phase !== 'Waiting') throw new Error(`step "${step}" is ${s.phase}, not waiting for approval`);
    if (!by && !token) throw new Error('say who approves ("by"), or sign the approval ("token")');
    this.gate.precheck(
      { by, token },
      this.approversOf(step),
      `step "${step}"`,
      'sluice pipeline approve RUN STEP',
    );
  }

  /** The cancel update: cancels the running steps; nothing later runs. */
  cancel({ by, reason }: { by?: string; reason?: string }): PipelineRunStatus {
    this.cancelRequested = true;
    this.status.message = `cancelled${by ? ` by ${by}` : ''}${reason ? `: ${reason}` : ''}`;
    for (const scope of this.running) scope.cancel();
    return this.snapshot();
  }

  /** The cancel update's validator: a run that has not ended. */
  validateCancel(): void {
    if (['Succeeded', 'Cancelled', 'Skipped'].includes(this.status.phase))
      throw new Error(`run ${this.run} already ended ${this.status.phase}`);
  }

  /** The retry-step update: the run goes on from this step (its retry window is waiting for it). */
  retryStep({ step }: { step: string }): PipelineRunStatus {
    this.retryFrom = step;
    return this.snapshot();
  }

  /** The retry-step update's validator: a failed run, from the failed step or an earlier one. */
  validateRetry({ step }: { step: string }): void {
    if (this.status.phase !== 'Failed')
      throw new Error(`run ${this.run} is ${this.status.phase}: only a failed run can be retried`);
    const index = entryIndex(this.entries, step);
    if (index < 0) throw new Error(`run ${this.run} has no main step "${step}"`);
    if (index > entryIndex(this.entries, this.status.failedStep as string))
      throw new Error(
        `"${step}" comes after the failed step "${this.status.failedStep}": retry from it or an earlier one`,
      );
  }
}
