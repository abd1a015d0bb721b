// The repository watcher keeps one child workflow per Pipeline and per ImagePolicy in line with each commit:
// it starts a new one (or, when one already runs under that ID, hands it the config), signals a changed one,
// leaves an unchanged one alone and stops a removed one. The watcher runs for months: its commands, in
// their order, are what running histories replay, so this test pins them all.
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { imagePolicyWorkflowId, pipelineTriggerId } from '../../core/workflow-ids.js';
import type { SluiceObject } from '../../schemas/loader/types.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { recordHistory } from '../integration/helpers/record-history.js';
import { gitFakes } from './fakes/git.js';
import { startWatcher } from './helpers/start-watcher.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

const object = (kind: string, name: string, spec: object): SluiceObject =>
  ({
    apiVersion: 'sluice.dev/v1alpha1',
    kind,
    metadata: { name },
    spec: { project: 'default', ...spec },
    source: { file: `${kind.toLowerCase()}s.yaml`, line: 1 },
  }) as SluiceObject;

/** A Pipeline; `wait` changes its definition. A git trigger on paths no commit touches starts no run. */
const pipeline = (name: string, wait = '1s', trigger: object = { manual: {} }) =>
  object('Pipeline', name, { trigger, steps: [{ name: 'wait', uses: 'wait', with: { duration: wait } }] });
const registry = object('ImageRepository', 'web', { image: 'registry.example.com/shop/web', interval: '1h' });
/** An ImagePolicy of `registry`; `range` changes its config. */
const policy = (name: string, range = '>=1.0.0') =>
  object('ImagePolicy', name, { imageRepositoryRef: { name: 'web' }, policy: { semver: { range } } });

/** The watcher's child starts and signals, in order: `start <type> <id>`, `exists <id>`, `signal <name> <id>`. */
async function childCommands(client: Client, workflowId: string): Promise<string[]> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  return (events ?? []).flatMap((e) => {
    const start = e.startChildWorkflowExecutionInitiatedEventAttributes;
    if (start) return [`start ${start.workflowType?.name} ${start.workflowId}`];
    const failed = e.startChildWorkflowExecutionFailedEventAttributes;
    if (failed) return [`exists ${failed.workflowId}`];
    const signal = e.signalExternalWorkflowExecutionInitiatedEventAttributes;
    if (signal) return [`signal ${signal.signalName} ${signal.workflowExecution?.workflowId}`];
    return [];
  });
}

describe('repository watcher children', () => {
  it('starts, updates, leaves alone and stops Pipeline triggers and ImagePolicy workflows, in order', async () => {
    let head = '1'.repeat(40);
    const deploy = { git: { paths: ['never/**'] } };
    const fake = gitFakes({
      head: () => head,
      objects: (sha) =>
        sha.startsWith('1')
          ? [pipeline('deploy', '1s', deploy), pipeline('nightly'), registry, policy('web'), policy('api')]
          : // 2: deploy and web changed, nightly and api removed, later and db added; 3: nothing changed.
            [
              pipeline('deploy', '2s', deploy),
              pipeline('later'),
              registry,
              policy('web', '>=2.0.0'),
              policy('db'),
            ],
    });
    let changedPathLookups = 0;
    const activities = {
      ...fake.activities,
      async upsertPipelineSchedule() {},
      async pipelineChangedPaths() {
        changedPathLookups++;
        return ['src/app.ts'];
      },
      async scanImagePolicy() {
        return { tags: 0 };
      },
    };
    const commands = await withWorker(activities, async ({ client, taskQueue, id }) => {
      const repoId = id('repo');
      const trigger = (name: string) => pipelineTriggerId(repoId, name);
      const image = (name: string) => imagePolicyWorkflowId(repoId, 'default', name);
      const children = [...['deploy', 'nightly', 'later'].map(trigger), ...['web', 'api', 'db'].map(image)];
      // Running already (started by an earlier watcher): the watcher's start finds it and hands it the config.
      await client.workflow.start('pipelineTriggerWorkflow', {
        taskQueue,
        workflowId: trigger('nightly'),
        args: [
          {
            repoId,
            definition: { repoId, name: 'nightly', namespace: 'default', spec: pipeline('nightly').spec },
          },
        ],
      });
      const handle = await startWatcher({ client, taskQueue }, repoId);
      try {
        for (const sha of ['1', '2', '3'].map((c) => c.repeat(40))) {
          head = sha;
          await queryUntil(handle, repoStatusQuery, (s) => s.lastValidSha === sha);
        }
        await recordHistory(client, handle.workflowId, 'repo-watcher-children-reconciled');
        return (await childCommands(client, handle.workflowId)).map((c) => c.replaceAll(repoId, 'R'));
      } finally {
        await handle.terminate('test done');
        for (const child of children)
          await client.workflow
            .getHandle(child)
            .terminate('test done')
            .catch(() => undefined);
      }
    });
    expect(commands).toEqual([
      // Commit 1: Pipelines first, then ImagePolicies, each in the commit's order.
      'start pipelineTriggerWorkflow pipeline-trigger/R/deploy',
      'start pipelineTriggerWorkflow pipeline-trigger/R/nightly',
      'exists pipeline-trigger/R/nightly',
      'signal pipelineDefinition pipeline-trigger/R/nightly',
      'start imagePolicyWorkflow image-policy/R/default/web',
      'start imagePolicyWorkflow image-policy/R/default/api',
      // Commit 2: changed ones signalled and new ones started in the commit's order, then removed ones stopped;
      // then the git-triggered Pipeline hears of the commit.
      'signal pipelineDefinition pipeline-trigger/R/deploy',
      'start pipelineTriggerWorkflow pipeline-trigger/R/later',
      'signal pipelineStop pipeline-trigger/R/nightly',
      'signal gitCommit pipeline-trigger/R/deploy',
      'signal imagePolicyConfig image-policy/R/default/web',
      'start imagePolicyWorkflow image-policy/R/default/db',
      'signal imagePolicyStop image-policy/R/default/api',
      // Commit 3: nothing changed but the commit, which only the git-triggered Pipeline hears of.
      'signal gitCommit pipeline-trigger/R/deploy',
    ]);
    // The files a commit changed are looked up once a commit follows another (commit 1 is the first seen).
    expect(changedPathLookups).toBe(2);
  });
});
