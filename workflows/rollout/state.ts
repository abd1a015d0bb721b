// The status of one rollout and the logic of its promote / abort / pause / resume / supersede
// handlers, as Temporal's safe-message-handlers sample keeps a workflow's state in a class.
import {
  ApplicationFailure,
  condition,
  patched,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ApprovalGate, type ApprovalRequest, approverList } from '../shared/approval-gate.js';
import { workflowNow } from '../shared/workflow-time.js';
import { isTerminal, type RolloutInput, type RolloutStatus } from './messages.js';

type Gate = 'promote' | 'resume';

/** What a rollout shows (`status`) and what its updates and signals asked for. */
export class RolloutState {
  readonly st: RolloutStatus;
  paused = false;
  /** A "pause until promoted" step may also end by resume. */
  released = false;
  promoteRequested = false;
  abortReason: string | undefined;
  superseded = false;
  // Promote and resume are gates: with `promotion.approvers` only a signed approval from one of them
  // passes; without, anyone may, recorded unverified. Abort and pause stay open (the safe direction).
  private readonly gate = new ApprovalGate();
  private readonly approvers: ReturnType<typeof approverList>;

  constructor(
    private readonly input: RolloutInput,
    steps: number,
  ) {
    const { spec, target } = input;
    this.approvers = approverList(spec.promotion?.approvers);
    this.st = {
      rollout: target.rollout,
      app: input.app,
      namespace: target.namespace,
      revision: input.revision,
      checksum: input.checksum,
      phase: input.initialize ? 'Initializing' : 'Progressing',
      step: 0,
      steps,
      canaryWeight: 0,
      failedChecks: 0,
      threshold: spec.analysis?.threshold ?? 5,
      analysisRounds: 0,
      message: input.initialize ? 'creating the primary' : 'starting',
    };
  }

  /** True once an abort, a promote or a newer revision asked the rollout to stop stepping. */
  readonly interrupted = (): boolean =>
    this.abortReason !== undefined || this.promoteRequested || this.superseded;

  /** Sets the phase, its message and the SluicePhase search attribute. */
  setPhase(phase: RolloutStatus['phase'], message: string): void {
    this.st.phase = phase;
    this.st.message = message;
    upsertSearchAttributes({ SluicePhase: [phase] });
  }

  /** Resolves with the final status once the rollout has ended (what promote and abort answer). */
  private async whenDone(): Promise<RolloutStatus> {
    await condition(() => isTerminal(this.st.phase));
    return this.st;
  }

  /** Validator of every update: the rollout has not ended. */
  notDone(): void {
    const st = this.st;
    if (isTerminal(st.phase)) throw new Error(`the rollout has already ended: ${st.phase} (${st.message})`);
  }

  /** Validator of a gate: not ended, and an approval that can pass it. */
  gateCheck(action: Gate, req: ApprovalRequest | undefined): void {
    this.notDone();
    this.gate.precheck(
      req,
      this.approvers,
      `${action} of ${this.input.app}`,
      `sluice rollout ${action} NAME`,
    );
  }

  /** Verifies and records who passed a gate; throws (the update fails, nothing changes) when refused. */
  private async authorize(action: Gate, req: ApprovalRequest | undefined): Promise<void> {
    const target = { workflowId: workflowInfo().workflowId, runId: workflowInfo().runId, act: action };
    const who = await this.gate.authorize(req, target, this.approvers, `${action} of ${this.input.app}`);
    const st = this.st;
    if (isTerminal(st.phase))
      throw ApplicationFailure.nonRetryable(
        `the rollout has already ended: ${st.phase} (${st.message})`,
        'ApprovalRefused',
      );
    // biome-ignore lint/style/noRestrictedGlobals: formats workflow time (workflowNow), deterministic on replay
    const at = new Date(workflowNow()).toISOString();
    st.approvals = [...(st.approvals ?? []), { action, ...who, at }].slice(-20);
  }

  /** The promote update: skip the remaining steps and promote; answers the final status. */
  async promote(req: ApprovalRequest): Promise<RolloutStatus> {
    // Gates passed before approvals were checked replay as they ran (synchronously, as then).
    if (patched('signed-gates')) await this.authorize('promote', req);
    this.promoteRequested = true;
    this.paused = false;
    return this.whenDone();
  }

  /** The abort update: roll back; answers the final status. */
  async abort({ reason }: { reason?: string }): Promise<RolloutStatus> {
    this.abortReason = reason ? `aborted: ${reason}` : 'aborted by request';
    return this.whenDone();
  }

  /** The pause update: hold at the current step. */
  pause(): RolloutStatus {
    const st = this.st;
    this.paused = true;
    this.setPhase('Paused', `paused at step ${st.step + 1}/${st.steps} (${st.stepName ?? 'start'})`);
    return st;
  }

  /** The resume update: go on after a pause (or a "pause until promoted" step). */
  async resume(req: ApprovalRequest): Promise<RolloutStatus> {
    if (patched('signed-gates')) await this.authorize('resume', req);
    const st = this.st;
    this.paused = false;
    this.released = true;
    this.setPhase('Progressing', `resumed at step ${st.step + 1}/${st.steps} (${st.stepName ?? 'start'})`);
    return st;
  }

  /** The supersede signal: a newer revision takes over; this rollout routes back and ends. */
  supersede({ revision }: { revision: string }): void {
    this.superseded = true;
    this.st.message = `superseded by ${revision.slice(0, 7)}`;
  }
}
