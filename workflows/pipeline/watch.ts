// What the repository watcher does with a valid commit's Pipelines: one trigger workflow per
// Pipeline (started, handed a changed definition, or stopped when removed), and the commit itself
// to every git-triggered one. Workflow code, called from repo-watcher/watcher.ts.

import { getExternalWorkflowHandle } from '@temporalio/workflow';
import type { PipelineCommit } from '../../activities/git/pipeline-commit.js';
import type { StepActivities } from '../../activities/steps/index.js';
import type { AlertProviderSpec, PipelineSpec } from '../../schemas/types.generated.js';
import { activities, gitChangedPaths } from '../activity-options.js';
import { type ChildKind, type ChildRecords, keepChildrenInLine } from '../shared/child-set.js';
import { SluiceApp, SluiceKind } from '../shared/search-attributes.js';
import { stableHash } from '../shared/stable-hash.js';
import { pipelineTriggerWorkflow } from './trigger.js';
import {
  gitCommitSignal,
  type PipelineTriggerConfig,
  pipelineDefinitionSignal,
  pipelineStopSignal,
  pipelineTriggerWorkflowId,
} from './trigger-messages.js';

const key = (o: { metadata: { name: string; namespace?: string } }) =>
  `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/** The trigger config of each Pipeline of a commit, by trigger workflow ID. */
export function pipelineConfigs(commit: PipelineCommit, repoId: string): Map<string, PipelineTriggerConfig> {
  const out = new Map<string, PipelineTriggerConfig>();
  for (const o of commit.objects) {
    if (o.kind !== 'Pipeline') continue;
    const namespace = o.metadata.namespace ?? 'default';
    const spec = o.spec as unknown as PipelineSpec;
    const wanted = new Set([
      ...(spec.alerts ?? []).map((a) => `${a.providerRef.namespace ?? namespace}/${a.providerRef.name}`),
      ...[...spec.steps, ...(spec.onFailure ?? [])]
        .flatMap((s) => ('parallel' in s ? s.parallel : [s]))
        .filter((s) => s.uses === 'alert' && typeof s.with?.provider === 'string')
        .map((s) => `${namespace}/${s.with?.provider}`),
    ]);
    const providers = commit.objects.filter((p) => p.kind === 'AlertProvider' && wanted.has(key(p)));
    out.set(pipelineTriggerWorkflowId(repoId, o.metadata.name), {
      definition: {
        repoId,
        name: o.metadata.name,
        namespace,
        // loadPipelineCommit sets the effective Project (the one named, or the repository's only one).
        project: spec.project as string,
        spec,
        source: `${o.source.file}:${o.source.line}`,
        revision: commit.sha,
      },
      repoId,
      ...(providers.length
        ? {
            alertProviders: Object.fromEntries(providers.map((p) => [key(p), p.spec])) as Record<
              string,
              AlertProviderSpec
            >,
          }
        : {}),
    });
  }
  return out;
}

/** What the watcher keeps of Pipelines: one trigger workflow each. */
const triggerWorkflows: ChildKind<PipelineTriggerConfig> = {
  workflow: pipelineTriggerWorkflow,
  configSignal: pipelineDefinitionSignal,
  stopSignal: pipelineStopSignal,
  // The revision changes with every commit; the git-commit signal below tells that.
  hash: (config) => stableHash({ ...config, definition: { ...config.definition, revision: '' } }),
  name: (config) => config.definition.name,
  searchAttributes: (config) => [
    { key: SluiceApp, value: config.definition.name },
    { key: SluiceKind, value: 'pipeline-trigger' },
  ],
  what: 'pipeline trigger',
};

/**
 * Starts, updates or stops one `pipeline-trigger/<repoId>/<name>` workflow per Pipeline of a valid
 * commit and tells git-triggered ones about the commit (with the files it changed since `previousSha`).
 * Answers the new records for the watcher's state.
 */
export async function syncPipelineTriggers(input: {
  repoId: string;
  repoUrl: string;
  commit: PipelineCommit;
  previousSha?: string;
  records: ChildRecords;
}): Promise<ChildRecords> {
  const configs = pipelineConfigs(input.commit, input.repoId);
  const records = await keepChildrenInLine(triggerWorkflows, configs, input.records, input.commit.sha);
  const gitTriggered = [...configs].filter(([, c]) => c.definition.spec.trigger.git);
  if (gitTriggered.length > 0 && input.previousSha && input.previousSha !== input.commit.sha) {
    const needPaths = gitTriggered.some(([, c]) => c.definition.spec.trigger.git?.paths?.length);
    const changedPaths = needPaths
      ? await activities<StepActivities>(gitChangedPaths, {
          summary: `files changed ${input.previousSha.slice(0, 7)}..${input.commit.sha.slice(0, 7)}`,
        }).pipelineChangedPaths({ url: input.repoUrl, from: input.previousSha, to: input.commit.sha })
      : undefined;
    for (const [id] of gitTriggered)
      await getExternalWorkflowHandle(id).signal(gitCommitSignal, {
        repository: input.repoId,
        sha: input.commit.sha,
        ...(changedPaths ? { changedPaths } : {}),
      });
  }
  return records;
}
