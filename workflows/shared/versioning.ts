// Which deployment version each workflow type runs on when the worker is versioned (worker/deployment.ts).
// PINNED: a run finishes on the code it started on, so a rollout or pipeline run never meets new code
// mid-way; the old version keeps its workers until its pinned runs drain. AUTO_UPGRADE: the long-lived
// workflows move to the current version at their next task, so their changes still go behind patched().
// Attached only in versioned workers (workflows/shared/versioned.ts).

import type { VersioningBehavior } from '@temporalio/common';
import { setWorkflowOptions } from '@temporalio/workflow';

/** The behaviour of every workflow type Sluice registers, by type name. */
export const versioningBehaviors: Record<string, VersioningBehavior> = {
  syncWorkflow: 'PINNED',
  rolloutWorkflow: 'PINNED',
  pipelineWorkflow: 'PINNED',
  smokeDeployWorkflow: 'PINNED',
  applicationWorkflow: 'AUTO_UPGRADE',
  repoWatcherWorkflow: 'AUTO_UPGRADE',
  pipelineTriggerWorkflow: 'AUTO_UPGRADE',
  pipelineLockWorkflow: 'AUTO_UPGRADE',
  imagePolicyWorkflow: 'AUTO_UPGRADE',
};

// biome-ignore lint/suspicious/noExplicitAny: any workflow function, whatever its arguments.
type WorkflowFunction = (...args: any[]) => Promise<unknown>;

/** Attaches each exported workflow's behaviour to its definition; a type missing from the table is an error. */
export function setVersioningBehaviors(workflows: Record<string, unknown>): void {
  for (const [name, fn] of Object.entries(workflows)) {
    if (typeof fn !== 'function') continue;
    const behavior = versioningBehaviors[name];
    if (!behavior)
      throw new Error(`workflows/shared/versioning.ts names no versioning behaviour for ${name}`);
    setWorkflowOptions({ versioningBehavior: behavior }, fn as WorkflowFunction);
  }
}
