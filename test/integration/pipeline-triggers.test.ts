// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is the Pipeline expression syntax under test
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { stepActivities } from '../../activities/steps/index.js';
import { pipelineScheduleId } from '../../core/workflow-ids.js';
import { loadPipelineFiles } from '../../schemas/loader/index.js';
import type { Pipeline } from '../../schemas/types.generated.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { startReceiver } from '../../scripts/stack/simulators/http-receiver.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { createWorker } from '../../worker/create-worker.js';
import { pipelineLockId } from '../../workflows/pipeline/lock-messages.js';
import {
  approveUpdate,
  type PipelineDefinition,
  type PipelineRunStatus,
  pipelineStatusQuery,
  pipelineWorkflowId,
} from '../../workflows/pipeline/messages.js';
import { pipelineWorkflow } from '../../workflows/pipeline/run.js';
import { pipelineTriggerWorkflow } from '../../workflows/pipeline/trigger.js';
import {
  gitCommitSignal,
  pipelineStopSignal,
  pipelineTriggerStatusQuery,
  pipelineTriggerWorkflowId,
  runNowUpdate,
} from '../../workflows/pipeline/trigger-messages.js';
import { SluiceApp, SluiceKind } from '../../workflows/shared/search-attributes.js';
import { waitFor } from '../helpers/wait-for.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { deploymentYaml } from './helpers/manifests.js';
import { recordHistory } from './helpers/record-history.js';
import { openTestTrust } from './helpers/test-worker.js';

const config = loadStackConfig();
const address = `127.0.0.1:${config.ports.temporal}`;

/** Loads and validates a Pipeline (with an Application of that name when the trigger names one). */
function definition(
  yaml: string,
  app?: string,
  more: { path: string; content: string }[] = [],
): PipelineDefinition {
  const files = [{ path: 'p.yaml', content: yaml }, ...more];
  if (app)
    files.push({
      path: 'app.yaml',
      content: `apiVersion: sluice.dev/v1alpha1\nkind: Application\nmetadata: {name: ${app}}\nspec:\n  source: {repoURL: 'http://git.example.com/x.git'}\n  destination: {namespace: x}\n`,
    });
  const loaded = loadPipelineFiles(files);
  expect(loaded.errors).toEqual([]);
  const p = loaded.objects.find((o) => o.kind === 'Pipeline') as unknown as Pipeline;
  return {
    repoId: TEST_REPO,
    name: p.metadata.name,
    namespace: 'default',
    project: 'default',
    spec: p.spec,
    source: 'p.yaml:1',
  };
}

const pipelineYaml = (
  name: string,
  trigger: string,
  steps: string,
  extra = '',
) => `apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata: {name: ${name}}
spec:
  trigger: ${trigger}
${extra}  steps:
${steps}`;

describe('pipeline triggers and concurrency on the real stack', () => {
  const suffix = Date.now().toString(36);
  const taskQueue = `pipeline-triggers-${suffix}`;
  let worker: Worker;
  let running: Promise<void>;
  let native: NativeConnection;
  let connection: Connection;
  let client: Client;
  let hooks: Awaited<ReturnType<typeof startReceiver>>;
  const cleanup: string[] = [];

  const record = (what: string) =>
    `    - name: record\n      uses: webhook\n      with: {url: '${hooks.url}/${what}', body: {revision: '\${{ trigger.revision || "none" }}', kind: '\${{ trigger.kind }}', run: '\${{ run.id }}'}}\n`;
  const bodies = (path: string) =>
    hooks.requests
      .filter((r) => r.path === `/${path}`)
      .map((r) => JSON.parse(r.body) as Record<string, string>);
  const startTrigger = async (def: PipelineDefinition) => {
    const id = pipelineTriggerWorkflowId(TEST_REPO, def.name);
    cleanup.push(id);
    return client.workflow.start(pipelineTriggerWorkflow, {
      taskQueue,
      workflowId: id,
      args: [{ definition: def, repoId: TEST_REPO }],
    });
  };
  const runStatus = (workflowId: string) => client.workflow.getHandle(workflowId).query(pipelineStatusQuery);
  /** Starts a manual run of a one-step Pipeline (an approve gate) with a concurrency policy. */
  const startGatedRun = (name: string, run: string, concurrency: string) => {
    const workflowId = pipelineWorkflowId(TEST_REPO, name, run);
    cleanup.push(workflowId, pipelineLockId(TEST_REPO, name));
    return client.workflow.start(pipelineWorkflow, {
      taskQueue,
      workflowId,
      args: [
        {
          pipeline: definition(
            pipelineYaml(
              name,
              '{manual: {}}',
              '    - {name: gate, uses: approve}\n',
              `  concurrency: ${concurrency}\n`,
            ),
          ),
          run,
          trigger: { kind: 'manual' },
        },
      ],
      typedSearchAttributes: [
        { key: SluiceKind, value: 'pipeline' },
        { key: SluiceApp, value: name },
      ],
    });
  };
  const waitRun = (workflowId: string, what: string, ok: (s: PipelineRunStatus) => boolean) =>
    waitFor(
      what,
      async () => {
        const s = await runStatus(workflowId);
        return ok(s) && s;
      },
      60_000,
      250,
    );

  beforeAll(async () => {
    hooks = await startReceiver();
    const deps = buildActivityDeps({
      kubeconfigPath: stackPaths(config).kubeconfig,
      cacheDir: mkdtempSync(join(tmpdir(), 'sluice-pipeline-triggers-')),
      prometheusAddress: `http://127.0.0.1:${config.ports.prometheus}`,
      trust: openTestTrust,
    });
    native = await NativeConnection.connect({ address });
    worker = await createWorker({
      connection: native,
      taskQueue,
      activities: { ...createActivities(deps), ...stepActivities(deps) },
    });
    running = worker.run();
    connection = await Connection.connect({ address });
    client = new Client({ connection });
  });
  afterAll(async () => {
    for (const id of cleanup)
      await client?.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    worker?.shutdown();
    await running;
    await native?.close();
    await connection?.close();
    await hooks?.close();
  });

  it('runs when its Application becomes Healthy at a new revision, and by hand', async () => {
    const repo = servedRepo('pipeline-trigger');
    const app = `trg-${suffix}`;
    const sha = repo.commit({ 'web/deployment.yaml': deploymentYaml('web') });
    const handle = await startApp(client, taskQueue, {
      name: app,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path: 'web', render: { plugin: 'directory' } },
        destination: { namespace: app },
        syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'] },
      },
    });
    cleanup.push(handle.workflowId);
    const name = `on-healthy-${suffix}`;
    const trigger = await startTrigger(
      definition(pipelineYaml(name, `{application: {name: ${app}}}`, record('healthy')), app),
    );
    await waitForStatus(
      handle,
      'the app to be Healthy',
      (s) => s.syncedRevision === sha && s.health === 'Healthy',
    );
    const runId = pipelineWorkflowId(TEST_REPO, name, `1-${sha.slice(0, 7)}`);
    cleanup.push(runId);
    const done = await waitRun(runId, 'the triggered run to succeed', (s) => s.phase === 'Succeeded');
    expect(done.trigger).toMatchObject({ kind: 'application', application: app, revision: sha });
    expect(bodies('healthy')).toEqual([{ revision: sha, kind: 'application', run: `1-${sha.slice(0, 7)}` }]);

    const { workflowId } = await trigger.executeUpdate(runNowUpdate, { args: [{ by: 'alice' }] });
    cleanup.push(workflowId);
    expect(workflowId).toBe(pipelineWorkflowId(TEST_REPO, name, '2'));
    await waitRun(workflowId, 'the manual run to succeed', (s) => s.phase === 'Succeeded');
    expect(bodies('healthy').at(-1)).toEqual({ revision: 'none', kind: 'manual', run: '2' });
    // The same revision does not trigger twice.
    expect(await trigger.query(pipelineTriggerStatusQuery)).toMatchObject({
      runsStarted: 2,
      lastRevision: sha,
    });
    // For the replay test: the trigger workflow (running) after an Application's run and a manual one.
    await recordHistory(client, trigger.workflowId, 'pipeline-trigger-application-and-manual');
  });

  it('runs on a commit that changed its paths, and not on one that did not', async () => {
    const name = `on-git-${suffix}`;
    const trigger = await startTrigger(
      definition(pipelineYaml(name, "{git: {paths: ['apps/web/', 'charts/**/values.yaml']}}", record('git'))),
    );
    const sha = (n: number) => String(n).repeat(40).slice(0, 40);
    await trigger.signal(gitCommitSignal, {
      repository: TEST_REPO,
      sha: sha(1),
      changedPaths: ['apps/api/x.yaml'],
    });
    await trigger.signal(gitCommitSignal, {
      repository: 'other',
      sha: sha(2),
      changedPaths: ['apps/web/x.yaml'],
    });
    await trigger.signal(gitCommitSignal, {
      repository: TEST_REPO,
      sha: sha(3),
      changedPaths: ['charts/web/values.yaml'],
    });
    const runId = pipelineWorkflowId(TEST_REPO, name, `1-${sha(3).slice(0, 7)}`);
    cleanup.push(runId);
    await waitRun(runId, 'the git-triggered run to succeed', (s) => s.phase === 'Succeeded');
    expect(bodies('git')).toEqual([{ revision: sha(3), kind: 'git', run: `1-${sha(3).slice(0, 7)}` }]);
    expect((await trigger.query(pipelineTriggerStatusQuery)).runsStarted).toBe(1);
  });

  it('keeps a Temporal Schedule for a cron trigger, whose runs work, and deletes it on stop', async () => {
    const name = `on-cron-${suffix}`;
    const trigger = await startTrigger(
      definition(pipelineYaml(name, "{schedule: {cron: '0 6 * * 1-5'}}", record('cron'))),
    );
    const schedule = client.schedule.getHandle(pipelineScheduleId(TEST_REPO, name));
    const described = await waitFor('the schedule', () => schedule.describe(), 20_000);
    expect(described.spec.calendars?.length ?? described.spec.intervals?.length).toBeGreaterThan(0);
    await schedule.trigger();
    await waitFor('the scheduled run to call the webhook', async () => bodies('cron').length === 1, 60_000);
    expect(bodies('cron')[0]).toMatchObject({ kind: 'schedule', revision: 'none' });
    expect(bodies('cron')[0]?.run).toMatch(/^cron-/);
    await trigger.signal(pipelineStopSignal, { reason: 'removed' });
    await trigger.result();
    await expect(schedule.describe()).rejects.toThrow(/not found/i);
  });

  it('runs analysis, wait and alert steps, and alerts spec.alerts when a run fails', async () => {
    const provider = `apiVersion: sluice.dev/v1alpha1
kind: AlertProvider
metadata: {name: hooks}
spec: {type: webhook, address: '${hooks.url}/alerts'}
`;
    const steps = (
      min: number,
    ) => `    - {name: check, uses: analysis, with: {query: 'vector(1)', min: ${min}}}
    - {name: pause, uses: wait, with: {duration: 1s}}
    - {name: tell, uses: alert, with: {provider: hooks, message: 'value \${{ steps.check.outputs.value }}'}}
`;
    const extra =
      '  retryWindow: 0s\n  alerts:\n    - {name: team, providerRef: {name: hooks}, severity: info}\n';
    const run = async (name: string, min: number) => {
      const workflowId = pipelineWorkflowId(TEST_REPO, name, '1');
      cleanup.push(workflowId);
      return client.workflow.start(pipelineWorkflow, {
        taskQueue,
        workflowId,
        args: [
          {
            pipeline: definition(pipelineYaml(name, '{manual: {}}', steps(min), extra), undefined, [
              { path: 'hooks.yaml', content: provider },
            ]),
            run: '1',
            trigger: { kind: 'manual' },
            alertProviders: { 'default/hooks': { type: 'webhook', address: `${hooks.url}/alerts` } },
          },
        ],
      });
    };
    const events = () => bodies('alerts') as unknown as { type: string; severity: string; message: string }[];
    const good = await run(`steps-${suffix}`, 0.5);
    const done = await good.result();
    expect(done.steps.map((s) => [s.name, s.phase])).toEqual([
      ['check', 'Succeeded'],
      ['pause', 'Succeeded'],
      ['tell', 'Succeeded'],
    ]);
    expect(done.steps[0]?.outputs).toEqual({ value: 1, verdict: 'Successful' });
    expect(done.steps[2]?.outputs).toEqual({ delivered: ['hooks'] });
    await waitFor('two alerts', async () => events().length >= 2);
    expect(events().map((e) => [e.type, e.severity, e.message])).toEqual([
      ['pipeline.step', 'info', 'value 1'],
      ['pipeline.succeeded', 'info', `Pipeline steps-${suffix} run 1 succeeded`],
    ]);

    const bad = await run(`steps-bad-${suffix}`, 2);
    await expect(bad.result()).rejects.toThrow();
    await waitFor('the failure alert', async () => events().length >= 3);
    expect(events()[2]).toMatchObject({ type: 'pipeline.failed', severity: 'error' });
    expect(events()[2]?.message).toMatch(/step check failed: check: vector\(1\) = 1, outside \[2, ∞\]/);
  });

  it('applies the concurrency policy: skip, then cancel-older', async () => {
    const name = `conc-${suffix}`;
    const first = await startGatedRun(name, '1', 'skip');
    await waitRun(first.workflowId, 'the first run to wait', (s) => s.phase === 'Waiting');
    const second = await startGatedRun(name, '2', 'skip');
    expect((await second.result()).phase).toBe('Skipped');

    const third = await startGatedRun(name, '3', 'cancel-older');
    await waitRun(third.workflowId, 'the third run to wait', (s) => s.phase === 'Waiting');
    await expect(first.result()).rejects.toThrow(/cancel/i);
    await third.executeUpdate(approveUpdate, { args: [{ step: 'gate', by: 'alice' }] });
    expect((await third.result()).phase).toBe('Succeeded');
  });

  it('orders runs triggered at the same moment: queue runs them one by one, skip lets exactly one through', async () => {
    const phases = async (ids: string[]) => Promise.all(ids.map(async (id) => (await runStatus(id)).phase));

    // Three runs started together: one waits at its gate, two are queued; each approval lets the next in.
    const queued = `queue-${suffix}`;
    const runs = await Promise.all(['1', '2', '3'].map((r) => startGatedRun(queued, r, 'queue')));
    const ids = runs.map((r) => r.workflowId);
    const done: string[] = [];
    for (let i = 0; i < 3; i++) {
      const open = ids.filter((id) => !done.includes(id));
      const waiting = await waitFor(`one of ${open.length} runs at its gate`, async () => {
        const p = await phases(open);
        return p.filter((x) => x === 'Waiting').length === 1 && open[p.indexOf('Waiting')];
      });
      // Give a wrongly admitted second run time to show itself before checking.
      await new Promise((r) => setTimeout(r, 1500));
      expect((await phases(open)).sort()).toEqual([...Array(open.length - 1).fill('Queued'), 'Waiting']);
      await client.workflow
        .getHandle(waiting)
        .executeUpdate(approveUpdate, { args: [{ step: 'gate', by: 'alice' }] });
      expect((await client.workflow.getHandle(waiting).result()).phase).toBe('Succeeded');
      done.push(waiting);
    }
    // For the replay test: the lock workflow (running) that queued three runs and admitted them one by one.
    await recordHistory(client, pipelineLockId(TEST_REPO, queued), 'pipeline-lock-queue');

    // Three runs started together under skip: exactly one runs, the others end Skipped naming it.
    const skipped = `skip-${suffix}`;
    const skipRuns = await Promise.all(['1', '2', '3'].map((r) => startGatedRun(skipped, r, 'skip')));
    const winner = await waitFor('the admitted run at its gate', async () => {
      for (const r of skipRuns) if ((await runStatus(r.workflowId)).phase === 'Waiting') return r;
      return undefined;
    });
    const losers = skipRuns.filter((r) => r !== winner);
    for (const r of losers) {
      const result = await r.result();
      expect(result.phase).toBe('Skipped');
      expect(result.message).toContain(winner.workflowId);
    }
    await winner.executeUpdate(approveUpdate, { args: [{ step: 'gate', by: 'alice' }] });
    expect((await winner.result()).phase).toBe('Succeeded');
  });
});
