// Activities of Pipeline steps with side effects; the approve, wait and alert steps run in the workflow.
import type { Caller } from '../../core/identity.js';
import type { StepActivityName } from '../../core/steps/types.js';
import { egressFetch } from '../egress/guarded-fetch.js';
import type { RepoCache } from '../git/repo-cache.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { TrustConfig } from '../trust/config.js';
import type { ProjectRegistry } from '../trust/projects.js';
import type { SecretAccess } from '../trust/secret-access.js';
import { stepAnalysis } from './analysis.js';
import { stepRolloutWait, stepSync } from './app-steps.js';
import { stepGitUpdate } from './git-update.js';
import { requestPipelineLock, runningPipelineRuns } from './runs.js';
import { awaitApplicationEvent, changedPaths, upsertPipelineSchedule } from './triggers.js';
import type { StepCall } from './types.js';
import { stepWebhook } from './webhook.js';

export type { StepCall } from './types.js';

/** What step activities need (a subset of ActivityDeps). */
export interface StepActivityDeps {
  secrets: SecretStore;
  secretAccess: SecretAccess;
  projects: ProjectRegistry;
  repoCache: RepoCache;
  credentialsFor: (url: string, caller: Caller) => { name: string } | undefined;
  prometheusAddress?: string;
  /** egress: where webhook steps and analysis step addresses may go; git: the limits of git-update's clone. */
  trust: Pick<TrustConfig, 'egress' | 'git'>;
}

/** Builds the step activities; sync, rollout-wait and the run-lock ones use the worker's Temporal client. */
export function stepActivities(deps: StepActivityDeps) {
  const egress = egressFetch(deps.trust.egress);
  // Keyed by the catalogue's activity names (core/steps): a step the catalogue dispatches to an
  // activity that does not exist here does not compile.
  const steps: Record<StepActivityName, (call: StepCall) => Promise<Record<string, unknown>>> = {
    /** Syncs an Application to a revision and waits for Healthy. */
    stepSync: (call: StepCall) => stepSync(call),
    /** Waits for an Application's rollout to end. */
    stepRolloutWait: (call: StepCall) => stepRolloutWait(call),
    /** Calls a webhook and checks its answer. */
    stepWebhook: (call: StepCall) => stepWebhook(deps.secretAccess, call, egress),
    /** Checks one metric. */
    stepAnalysis: (call: StepCall) => stepAnalysis(deps.prometheusAddress, call, egress),
    /** Sets an image tag or YAML field in Git, commits and pushes. */
    stepGitUpdate: (call: StepCall) => stepGitUpdate(deps, call),
  };
  return {
    ...steps,
    requestPipelineLock,
    runningPipelineRuns,
    awaitApplicationEvent,
    upsertPipelineSchedule,
    /** Files a commit changed since an earlier one (both already fetched into the repository cache). */
    pipelineChangedPaths: (input: { url: string; from?: string; to: string }) =>
      changedPaths(deps.repoCache, input),
  };
}

/** The step activities as workflows proxy them. */
export type StepActivities = ReturnType<typeof stepActivities>;
