import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AlertProviderSpec, PipelineSpec } from '../../schemas/types.generated.js';

/** Where a step is. */
export type StepPhase = 'Pending' | 'Running' | 'Waiting' | 'Succeeded' | 'Failed' | 'Skipped' | 'Cancelled';

/** Where a run is. Terminal: Succeeded, Failed (once its retry window closed), Cancelled, Skipped. */
export type RunPhase = 'Queued' | 'Running' | 'Waiting' | 'Succeeded' | 'Failed' | 'Cancelled' | 'Skipped';

/** One step of a run as the status query shows it. */
export interface StepStatus {
  name: string;
  uses: string;
  /** The parallel group it belongs to, or "onFailure". */
  group?: string;
  phase: StepPhase;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  outputs?: Record<string, unknown>;
  /** For approve steps: who approved, and when. */
  approvedBy?: string;
  approvedAt?: string;
  /** True when approvedBy signed the approval with a configured approver key; false: the name is only what the caller said. */
  approvalVerified?: boolean;
}

/** What starts a run, as expressions read it (`trigger.*`). */
export interface PipelineTrigger {
  kind: 'manual' | 'schedule' | 'application' | 'git' | 'image';
  /** Who started it (manual runs), e.g. "alice". */
  by?: string;
  /** The commit the run promotes (application or git triggers, or given by hand). */
  revision?: string;
  application?: string;
  project?: string;
  repository?: string;
  /** When the trigger fired (ISO 8601). */
  time?: string;
  /** Free-form values given by hand (`sluice pipeline run --set k=v`). */
  inputs?: Record<string, string>;
  /** The ImagePolicy's selection (image triggers): `trigger.image.tag`, `.image`, `.digest`, `.policy`. */
  image?: { policy: string; image: string; tag: string; digest?: string };
}

/** The Pipeline a run executes, as loaded from Git. */
export interface PipelineDefinition {
  /** The repository (worker config id) it was declared in: with name, its identity. */
  repoId: string;
  name: string;
  namespace: string;
  /** The Project its steps act under (bound to its repository by the administrator). */
  project: string;
  spec: PipelineSpec;
  /** Where it was declared, "deploy/promote.yaml:1". */
  source?: string;
  /** Pipeline-file commit it came from. */
  revision?: string;
}

/** Input of one pipeline run. */
export interface PipelineRunInput {
  pipeline: PipelineDefinition;
  /** The run's id, unique per Pipeline; the workflow ID is `pipeline/<repoId>/<name>/<run>`. */
  run: string;
  trigger: PipelineTrigger;
  /** AlertProviders of the commit by "namespace/name" (alert steps and spec.alerts use them). */
  alertProviders?: Record<string, AlertProviderSpec>;
}

/** What the status query and every update answer. */
export interface PipelineRunStatus {
  pipeline: string;
  run: string;
  phase: RunPhase;
  trigger: PipelineTrigger;
  /** Steps running or waiting now. */
  current: string[];
  steps: StepStatus[];
  failedStep?: string;
  message?: string;
  startedAt: string;
  finishedAt?: string;
}

export { pipelineWorkflowId } from '../../core/workflow-ids.js';

/**
 * Approve a waiting approve step; answers the run's state. `token` is a signed approval
 * (`sluice pipeline approve --key`), required when the step lists `approvers`; refused when the step is
 * not waiting, the token does not verify, or its approver is not on the list.
 */
export const approveUpdate = defineUpdate<
  PipelineRunStatus,
  [{ step: string; by?: string; token?: string; comment?: string }]
>('approve');
/** Cancel the run: the running step is cancelled, nothing later runs (onFailure neither). */
export const cancelRunUpdate = defineUpdate<PipelineRunStatus, [{ by?: string; reason?: string }]>('cancel');
/** Re-run a failed run from a step (the failed one or an earlier one) while its retry window is open. */
export const retryStepUpdate = defineUpdate<PipelineRunStatus, [{ step: string; by?: string }]>('retry-step');
/** The run's state, step by step. */
export const pipelineStatusQuery = defineQuery<PipelineRunStatus>('status');
