// What the repository watcher does with a valid commit's ImagePolicies: one policy workflow each
// (started, handed a changed config, or stopped when removed), as it does for Pipelines (pipeline/watch.ts).
import type { PipelineCommit } from '../../activities/git/pipeline-commit.js';
import { imagePolicyWorkflowId, pipelineTriggerId } from '../../core/workflow-ids.js';
import type {
  ImagePolicySpec,
  ImageRepositorySpec,
  ImageUpdateAutomationSpec,
  PipelineSpec,
} from '../../schemas/types.generated.js';
import { type ChildKind, type ChildRecords, keepChildrenInLine } from '../shared/child-set.js';
import { SluiceApp, SluiceKind } from '../shared/search-attributes.js';
import { stableHash } from '../shared/stable-hash.js';
import {
  type AutomationTarget,
  type ImagePolicyConfig,
  imagePolicyConfigSignal,
  imagePolicyStopSignal,
} from './messages.js';
import { imagePolicyWorkflow } from './workflow.js';

type Obj = PipelineCommit['objects'][number];
const nsOf = (o: Obj) => ('namespace' in o.metadata ? o.metadata.namespace : undefined) ?? 'default';

/** The config of each ImagePolicy of a commit, by workflow ID. */
export function imagePolicyConfigs(
  commit: PipelineCommit,
  repoId: string,
  repo: { url: string; revision: string },
): Map<string, ImagePolicyConfig> {
  const out = new Map<string, ImagePolicyConfig>();
  const of = (kind: string) => commit.objects.filter((o) => o.kind === kind);
  for (const p of of('ImagePolicy')) {
    const namespace = nsOf(p);
    const spec = p.spec as unknown as ImagePolicySpec;
    const repoObj = of('ImageRepository').find(
      (r) => nsOf(r) === namespace && r.metadata.name === spec.imageRepositoryRef.name,
    );
    if (!repoObj) continue; // the loader reports it; an invalid commit never gets here
    const repoSpec = repoObj.spec as unknown as ImageRepositorySpec;
    const automations: AutomationTarget[] = of('ImageUpdateAutomation')
      .filter((a) => nsOf(a) === namespace)
      .filter((a) => {
        const names = (a.spec as unknown as ImageUpdateAutomationSpec).policies;
        return !names || names.includes(p.metadata.name);
      })
      .map((a) => {
        const s = a.spec as unknown as ImageUpdateAutomationSpec;
        const repoURL = s.git?.repoURL ?? repo.url;
        return {
          name: `${namespace}/${a.metadata.name}`,
          // loadPipelineCommit sets the effective Project (the one named, or the repository's only one).
          project: s.project as string,
          repoURL,
          branch: s.git?.branch ?? (s.git?.repoURL ? 'main' : repo.revision),
          path: s.update.path,
          ...(s.git?.secretRef ? { secretRef: s.git.secretRef } : {}),
          ...(s.git?.author ? { author: s.git.author } : {}),
        };
      });
    const pipelines = of('Pipeline')
      .filter((o) => nsOf(o) === namespace)
      .filter((o) => (o.spec as unknown as PipelineSpec).trigger.image?.policyRef.name === p.metadata.name)
      .map((o) => pipelineTriggerId(repoId, o.metadata.name));
    out.set(imagePolicyWorkflowId(repoId, namespace, p.metadata.name), {
      repoId,
      namespace,
      name: p.metadata.name,
      source: `${p.source.file}:${p.source.line}`,
      repository: {
        name: repoObj.metadata.name,
        image: repoSpec.image,
        interval: repoSpec.interval ?? '5m',
        project: repoSpec.project as string,
        ...(repoSpec.secretRef ? { secretRef: repoSpec.secretRef } : {}),
      },
      policy: { policy: spec.policy, ...(spec.filterTags ? { filterTags: spec.filterTags } : {}) },
      automations,
      pipelines,
    });
  }
  return out;
}

/** What the watcher keeps of ImagePolicies: one policy workflow each. */
const policyWorkflows: ChildKind<ImagePolicyConfig> = {
  workflow: imagePolicyWorkflow,
  configSignal: imagePolicyConfigSignal,
  stopSignal: imagePolicyStopSignal,
  // Where the policy is declared (file:line) moves with unrelated edits; the workflow need not hear of it.
  hash: (config) => stableHash({ ...config, source: '' }),
  name: (config) => `${config.namespace}/${config.name}`,
  searchAttributes: (config) => [
    { key: SluiceApp, value: config.name },
    { key: SluiceKind, value: 'image-policy' },
  ],
  what: 'image policy workflow',
};

/** Starts, updates or stops one policy workflow per ImagePolicy of a valid commit; answers the new records. */
export async function syncImagePolicies(input: {
  repoId: string;
  repo: { url: string; revision: string };
  commit: PipelineCommit;
  records: ChildRecords;
}): Promise<ChildRecords> {
  const configs = imagePolicyConfigs(input.commit, input.repoId, input.repo);
  return keepChildrenInLine(policyWorkflows, configs, input.records, input.commit.sha);
}
