import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AlertProviderSpec, MetricTemplateSpec } from '../../schemas/types.generated.js';
import type { ApprovalRequest } from '../shared/approval-gate.js';
import type { RolloutSpec, RolloutTarget } from './types.js';

export type { ApprovalRequest } from '../shared/approval-gate.js';

/** Where a rollout is. Terminal: Initialized, Succeeded, Failed, Superseded. */
export type RolloutPhase =
  | 'Initializing'
  | 'Initialized'
  | 'Progressing'
  | 'Paused'
  | 'Waiting'
  | 'Promoting'
  | 'Succeeded'
  | 'RollingBack'
  | 'Failed'
  | 'Superseded';

/** The metric (or webhook) whose failure rolled the rollout back. */
export interface FailedCheck {
  name: string;
  value?: number;
  /** The condition it missed, e.g. "min 99" or "result >= 0.99". */
  condition?: string;
  message: string;
}

/** One metric check of an analysis round, as status shows it. */
export interface CheckSummary {
  name: string;
  verdict: string;
  value?: number;
  condition?: string;
  message: string;
}

/** What the status query and every gate answer. */
export interface RolloutStatus {
  rollout: string;
  app: string;
  namespace: string;
  revision: string;
  checksum: string;
  phase: RolloutPhase;
  /** Index of the current step (0-based) and the number of steps. */
  step: number;
  steps: number;
  /** Label of the current step, e.g. "weight 30%". */
  stepName?: string;
  canaryWeight: number;
  failedChecks: number;
  threshold: number;
  /** Analysis rounds run so far, and the verdict of the last one. */
  analysisRounds: number;
  lastVerdict?: string;
  /** Each check of the last analysis round: its value against its condition. */
  lastChecks?: CheckSummary[];
  /** The last answer of each webhook, by name. */
  webhooks?: Record<string, { type: string; ok: boolean; message: string }>;
  message: string;
  failed?: FailedCheck;
  /** Who promoted or resumed the rollout by hand, oldest first; `verified` only for signed approvals. */
  approvals?: GateApproval[];
}

/** One manual promote or resume, as the rollout recorded it. */
export interface GateApproval {
  action: 'promote' | 'resume';
  by: string;
  verified: boolean;
  at: string;
}

/** True for phases a rollout never leaves. */
export const isTerminal = (phase: RolloutPhase): boolean =>
  phase === 'Initialized' || phase === 'Succeeded' || phase === 'Failed' || phase === 'Superseded';

/**
 * Skip the remaining steps and promote now; answers the state once promoted (or failed). A Rollout with
 * `promotion.approvers` needs a signed approval token from one of them.
 */
export const promoteUpdate = defineUpdate<RolloutStatus, [ApprovalRequest]>('promote');
/** Roll back now; answers the state once rolled back. */
export const abortUpdate = defineUpdate<RolloutStatus, [{ reason?: string }]>('abort');
/** Stop advancing at the current step (checks stop too); answers the paused state. */
export const pauseUpdate = defineUpdate<RolloutStatus>('pause');
/** Continue after a pause (also ends a "pause until promoted" step); answers the resulting state. Gated like promote. */
export const resumeUpdate = defineUpdate<RolloutStatus, [ApprovalRequest]>('resume');
/** The rollout's state. */
export const rolloutStatusQuery = defineQuery<RolloutStatus>('status');
/** The application saw a newer revision: stop here, traffic back on the primary; a new rollout starts from step one. */
export const supersedeSignal = defineSignal<[{ revision: string }]>('supersede');

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
