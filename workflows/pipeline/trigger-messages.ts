// The trigger workflow's messages: what the repository watcher and `sluice pipeline run` send it.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AlertProviderSpec } from '../../schemas/types.generated.js';
import type { PipelineDefinition } from './messages.js';

/** A Pipeline as the watcher hands it over. */
export interface PipelineTriggerConfig {
  definition: PipelineDefinition;
  alertProviders?: Record<string, AlertProviderSpec>;
  /** Id of the repository the Pipeline was declared in (a git trigger without `repository` watches it). */
  repoId?: string;
}

/** Input of the trigger workflow; `state` is carried across continue-as-new. */
export interface PipelineTriggerInput extends PipelineTriggerConfig {
  state?: { seq: number; lastRevision?: string; lastCommit?: string; lastImageTag?: string };
}

/** What the trigger workflow answers to `status`. */
export interface PipelineTriggerStatus {
  pipeline: string;
  trigger: string;
  runsStarted: number;
  lastRun?: string;
  lastRevision?: string;
  stopped: boolean;
}

/** The watcher's new definition of the Pipeline (a new commit changed it). */
export const pipelineDefinitionSignal = defineSignal<[PipelineTriggerConfig]>('pipelineDefinition');
/** The Pipeline was removed from Git: stop (its schedule is deleted; running runs carry on). */
export const pipelineStopSignal = defineSignal<[{ reason: string }]>('pipelineStop');
/** A new commit of a watched repository, with the files it changed when known. */
export const gitCommitSignal =
  defineSignal<[{ repository: string; sha: string; changedPaths?: string[] }]>('gitCommit');
/** Start a run now (`sluice pipeline run NAME`); answers the run's workflow ID. */
export const runNowUpdate = defineUpdate<
  { workflowId: string },
  [{ by?: string; revision?: string; inputs?: Record<string, string> }]
>('run');
/** The trigger's state. */
export const pipelineTriggerStatusQuery = defineQuery<PipelineTriggerStatus>('status');

export { pipelineTriggerId as pipelineTriggerWorkflowId } from '../../core/workflow-ids.js';
