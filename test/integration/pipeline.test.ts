// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is the Pipeline expression syntax under test
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { stepActivities } from '../../activities/steps/index.js';
import { pipelineCommand } from '../../cli/commands/pipeline.js';
import { addTemporalOptions } from '../../cli/global-options.js';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import { loadPipelineFiles } from '../../schemas/loader/index.js';
import type { Pipeline } from '../../schemas/types.generated.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { startReceiver } from '../../scripts/stack/simulators/http-receiver.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { createWorker } from '../../worker/create-worker.js';
import { applicationStatusQuery, syncUpdate } from '../../workflows/application/messages.js';
import {
  approveUpdate,
  cancelRunUpdate,
  type PipelineRunInput,
  type PipelineRunStatus,
  pipelineStatusQuery,
  pipelineWorkflowId,
  retryStepUpdate,
} from '../../workflows/pipeline/messages.js';
import { pipelineWorkflow } from '../../workflows/pipeline/run.js';
import { SluiceApp, SluiceKind } from '../../workflows/shared/search-attributes.js';
import { waitFor } from '../helpers/wait-for.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { approverKey } from './helpers/approvers.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { recordHistory } from './helpers/record-history.js';
import { openTestTrust } from './helpers/test-worker.js';

const config = loadStackConfig();
const address = `127.0.0.1:${config.ports.temporal}`;
/** The approve step lists alice and bob; alice's signed approvals verify with this worker. */
const alice = approverKey(mkdtempSync(join(tmpdir(), 'sluice-pipeline-keys-')), 'alice');

/** A real worker on a task queue with every activity plus the step activities (until activities/index.ts adds them). */
async function startPipelineWorker(taskQueue: string): Promise<{ stop: () => Promise<void> }> {
  const deps = buildActivityDeps({
    kubeconfigPath: stackPaths(config).kubeconfig,
    cacheDir: mkdtempSync(join(tmpdir(), 'sluice-pipeline-')),
    prometheusAddress: `http://127.0.0.1:${config.ports.prometheus}`,
    trust: { ...openTestTrust, approvers: [{ name: 'alice', publicKey: alice.publicKey, groups: [] }] },
  });
  const connection = await NativeConnection.connect({ address });
  const activities = { ...createActivities(deps), ...stepActivities(deps) };
  const worker: Worker = await createWorker({ connection, taskQueue, activities });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: app
          image: ${image} # the pipeline sets this tag
          ports: [{name: http, containerPort: 8080}]
`;

function pipelineYaml(
  name: string,
  o: { repoURL: string; hooks: string; staging: string; production: string },
) {
  return `apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata:
  name: ${name}
spec:
  trigger:
    manual: {}
  retryWindow: 10m
  steps:
    - name: deploy-staging
      uses: sync
      with:
        application: ${o.staging}
        revision: \${{ trigger.revision }}
    - name: test
      uses: webhook
      with:
        url: ${o.hooks}/test
        body: {revision: "\${{ steps.deploy-staging.outputs.revision }}"}
        condition: body.passed == true
    - name: approval
      uses: approve
      with:
        approvers: [alice, bob]
    - name: promote
      uses: git-update
      with:
        repoURL: ${o.repoURL}
        file: production/deployment.yaml
        image: example.com/web
        tag: \${{ trigger.inputs.tag }}
    - name: deploy-production
      uses: sync
      if: steps.promote.outputs.changed == true
      with:
        application: ${o.production}
        revision: \${{ steps.promote.outputs.sha }}
    - name: production-canary
      uses: rollout-wait
      with:
        application: ${o.production}
        revision: \${{ steps.deploy-production.outputs.revision }}
  onFailure:
    - name: report
      uses: webhook
      with:
        url: ${o.hooks}/failed
        body: {failedStep: "\${{ run.failedStep }}", run: "\${{ run.id }}"}
`;
}

describe('pipelines on the real stack: staging → test → approval → git-update → production', () => {
  const suffix = Date.now().toString(36);
  const taskQueue = `pipeline-${suffix}`;
  // Staging's manifests in one repository; production's in another, which only git-update changes.
  const repo = servedRepo('pipeline');
  const prodRepo = servedRepo('pipeline-prod');
  const kube = testKube();
  const staging = `stg-${suffix}`;
  const production = `prd-${suffix}`;
  let worker: { stop: () => Promise<void> };
  let connection: Connection;
  let client: Client;
  let hooks: Awaited<ReturnType<typeof startReceiver>>;
  let passTests = true;
  let pipeline: Pipeline;
  let base: string;
  const apps: { terminate: (r: string) => Promise<unknown> }[] = [];
  const runs: string[] = [];

  const startRun = async (run: string, trigger: PipelineRunInput['trigger']) => {
    const workflowId = pipelineWorkflowId(TEST_REPO, pipeline.metadata.name, run);
    runs.push(workflowId);
    return client.workflow.start(pipelineWorkflow, {
      taskQueue,
      workflowId,
      args: [
        {
          pipeline: {
            repoId: TEST_REPO,
            name: pipeline.metadata.name,
            namespace: 'default',
            project: 'default',
            spec: pipeline.spec,
            source: 'p.yaml:1',
          },
          run,
          trigger,
        },
      ],
      typedSearchAttributes: [
        { key: SluiceKind, value: 'pipeline' },
        { key: SluiceApp, value: pipeline.metadata.name },
      ],
    });
  };
  const waitRun = (
    handle: { query: (q: typeof pipelineStatusQuery) => Promise<PipelineRunStatus> },
    what: string,
    ok: (s: PipelineRunStatus) => boolean,
    timeoutMs = 90_000,
  ) =>
    waitFor(
      what,
      async () => {
        const s = await handle.query(pipelineStatusQuery);
        return ok(s) && s;
      },
      timeoutMs,
      250,
    );

  beforeAll(async () => {
    hooks = await startReceiver({
      handle: (req) =>
        req.path === '/test'
          ? {
              status: 200,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ passed: passTests }),
            }
          : undefined,
    });
    base = repo.commit({
      'staging/deployment.yaml': deployment('web', 'example.com/web:1.0'),
    });
    const prodBase = prodRepo.commit({
      'production/deployment.yaml': deployment('web', 'example.com/web:1.0'),
    });
    const loaded = loadPipelineFiles([
      {
        path: 'p.yaml',
        content: pipelineYaml(`promote-${suffix}`, {
          repoURL: prodRepo.url,
          hooks: hooks.url,
          staging,
          production,
        }),
      },
    ]);
    expect(loaded.errors).toEqual([]);
    pipeline = loaded.objects[0] as unknown as Pipeline;
    worker = await startPipelineWorker(taskQueue);
    connection = await Connection.connect({ address });
    client = new Client({ connection });
    for (const [name, path, url, sha] of [
      [staging, 'staging', repo.url, base],
      [production, 'production', prodRepo.url, prodBase],
    ] as const) {
      const app = await startApp(client, taskQueue, {
        name,
        project: 'default',
        revision: 'test',
        source: 'test',
        spec: {
          source: { repoURL: url, targetRevision: 'main', path, render: { plugin: 'directory' } },
          destination: { namespace: name },
          syncPolicy: { syncOptions: ['CreateNamespace=true'] },
        },
        // Production releases through a canary (istio, one 50% step; no metrics: the checks pass).
        ...(name === production
          ? {
              rollout: {
                name: 'web',
                namespace: 'default',
                spec: {
                  targetRef: { name: 'web' },
                  service: { port: 80, targetPort: 8080 },
                  provider: 'istio' as const,
                  strategy: { canary: { stepWeights: [50] } },
                  analysis: { interval: '1s', threshold: 1 },
                },
              },
            }
          : {}),
      });
      apps.push(app);
      await waitForStatus(app, `${name} to see the source`, (s) => s.sourceRevision === sha);
      if (name === production) {
        // Its first sync initialises the canary (the primary serves the current version).
        await app.executeUpdate(syncUpdate, { args: [{ revision: sha }] });
        await waitForStatus(
          app,
          'the rollout to initialise',
          (s) => s.rollout?.phase === 'Initialized',
          90_000,
        );
      }
    }
  });
  afterAll(async () => {
    // Rollouts outlive their application (ABANDON): end any left running.
    if (client)
      for await (const w of client.workflow.list({
        query: `SluiceApp = "${production}" AND ExecutionStatus = "Running"`,
      }))
        await client.workflow
          .getHandle(w.workflowId)
          .terminate('test done')
          .catch(() => undefined);
    for (const id of runs)
      await client?.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    for (const app of apps) await app.terminate('test done').catch(() => {});
    await worker?.stop();
    await connection?.close();
    await hooks?.close();
  });

  it('promotes a new image: staging syncs, the test passes, the run waits for approval across a worker restart, then git-update, production sync and its canary promotes', async () => {
    const sha = repo.commit(
      { 'staging/deployment.yaml': deployment('web', 'example.com/web:1.1') },
      'web 1.1',
    );
    const run = await startRun('1', { kind: 'manual', by: 'ci', revision: sha, inputs: { tag: '1.1' } });

    const waiting = await waitRun(run, 'the run to wait for approval', (s) => s.current.includes('approval'));
    expect(waiting.phase).toBe('Waiting');
    expect(waiting.steps.map((s) => [s.name, s.phase])).toEqual([
      ['deploy-staging', 'Succeeded'],
      ['test', 'Succeeded'],
      ['approval', 'Waiting'],
      ['promote', 'Pending'],
      ['deploy-production', 'Pending'],
      ['production-canary', 'Pending'],
      ['report', 'Pending'],
    ]);
    expect(waiting.steps[0]?.outputs).toMatchObject({ revision: sha, health: 'Healthy' });
    const live = await kube.apps.readNamespacedDeployment({ namespace: staging, name: 'web' });
    expect(live.spec?.template.spec?.containers[0]?.image).toBe('example.com/web:1.1');
    expect(JSON.parse(hooks.requests.find((r) => r.path === '/test')?.body ?? '{}')).toEqual({
      revision: sha,
    });

    // The worker goes away while the run waits; a new one on the same task queue picks the run up.
    await worker.stop();
    worker = await startPipelineWorker(taskQueue);

    const refused = await run
      .executeUpdate(approveUpdate, { args: [{ step: 'approval', by: 'mallory' }] })
      .catch((e: Error) => e);
    expect((refused as Error).cause?.toString()).toMatch(
      /step "approval" may be approved only by alice, bob, with a signed approval/,
    );
    // `sluice pipeline approve RUN STEP --key alice.pem`, in process.
    const cli = addTemporalOptions(new Command('sluice').exitOverride()).addCommand(pipelineCommand());
    const run7 = `${TEST_REPO}/promote-${suffix}/1`;
    await cli.parseAsync(
      [
        '--temporal-address',
        address,
        'pipeline',
        'approve',
        run7,
        'approval',
        '--key',
        alice.file,
        '-o',
        'json',
      ],
      {
        from: 'user',
      },
    );

    const done = await run.result();
    expect(done.phase).toBe('Succeeded');
    const approval = done.steps.find((s) => s.name === 'approval');
    expect(approval).toMatchObject({
      phase: 'Succeeded',
      approvedBy: 'alice',
      approvalVerified: true,
      outputs: { by: 'alice', verified: true },
    });
    expect(Date.parse(approval?.approvedAt as string)).toBeGreaterThan(Date.now() - 120_000);
    const promoted = done.steps.find((s) => s.name === 'promote')?.outputs as {
      sha: string;
      changed: boolean;
    };
    expect(promoted.changed).toBe(true);

    // The commit on the server: production's tag set, the message naming the run.
    const bare = join(stackPaths(config).gitRoot, new URL(prodRepo.url).pathname.slice(1));
    const git = (...args: string[]) =>
      execFileSync('git', ['--git-dir', bare, ...args], { encoding: 'utf8' }).trim();
    expect(git('rev-parse', 'main')).toBe(promoted.sha);
    expect(git('log', '-1', '--format=%B', 'main')).toContain(
      `Pipeline promote-${suffix} run 1, step promote`,
    );
    expect(git('show', 'main:production/deployment.yaml')).toContain(
      'image: example.com/web:1.1 # the pipeline sets this tag',
    );

    const prodStatus = await client.workflow
      .getHandle(applicationWorkflowId(TEST_REPO, production))
      .query(applicationStatusQuery);
    expect(prodStatus).toMatchObject({ syncedRevision: promoted.sha, health: 'Healthy' });
    // The canary promoted: the primary serves the new tag.
    expect(done.steps.find((s) => s.name === 'production-canary')).toMatchObject({
      phase: 'Succeeded',
      outputs: { phase: 'Succeeded', revision: promoted.sha },
    });
    const primary = await kube.apps.readNamespacedDeployment({ namespace: production, name: 'web-primary' });
    expect(primary.spec?.template.spec?.containers[0]?.image).toBe('example.com/web:1.1');
    // onFailure did not run.
    expect(done.steps.find((s) => s.name === 'report')?.phase).toBe('Pending');
    // For the replay test: the run with its refused and its signed approval (alice's key never in history).
    await recordHistory(client, run.workflowId, 'pipeline-signed-approval', {
      secrets: [readFileSync(alice.file, 'utf8')],
    });
  });

  it('stops before production when the test webhook fails, runs onFailure, and retries from the test step', async () => {
    passTests = false;
    const prodBefore = await client.workflow
      .getHandle(applicationWorkflowId(TEST_REPO, production))
      .query(applicationStatusQuery);
    const sha = repo.commit(
      { 'staging/deployment.yaml': deployment('web', 'example.com/web:1.2') },
      'web 1.2',
    );
    const run = await startRun('2', { kind: 'manual', by: 'ci', revision: sha, inputs: { tag: '1.2' } });

    const failed = await waitRun(
      run,
      'the run to fail',
      (s) => s.phase === 'Failed' && s.steps.at(-1)?.phase === 'Succeeded',
    );
    expect(failed.failedStep).toBe('test');
    expect(failed.message).toMatch(/condition body.passed == true is false/);
    expect(failed.steps.map((s) => [s.name, s.phase])).toEqual([
      ['deploy-staging', 'Succeeded'],
      ['test', 'Failed'],
      ['approval', 'Pending'],
      ['promote', 'Pending'],
      ['deploy-production', 'Pending'],
      ['production-canary', 'Pending'],
      ['report', 'Succeeded'],
    ]);
    const report = hooks.requests.filter((r) => r.path === '/failed');
    expect(report.map((r) => JSON.parse(r.body))).toEqual([{ failedStep: 'test', run: '2' }]);
    const prodAfter = await client.workflow
      .getHandle(applicationWorkflowId(TEST_REPO, production))
      .query(applicationStatusQuery);
    expect(prodAfter.syncedRevision).toBe(prodBefore.syncedRevision);

    // Once the tests pass, `retry-step test` continues the same run from that step.
    const tooLate = await run
      .executeUpdate(retryStepUpdate, { args: [{ step: 'promote' }] })
      .catch((e: Error) => e);
    expect((tooLate as Error).cause?.toString()).toMatch(/comes after the failed step "test"/);
    passTests = true;
    await run.executeUpdate(retryStepUpdate, { args: [{ step: 'test' }] });
    const waiting = await waitRun(run, 'the retried run to wait for approval', (s) =>
      s.current.includes('approval'),
    );
    expect(waiting.steps.find((s) => s.name === 'test')).toMatchObject({ phase: 'Succeeded', attempts: 2 });
    expect(waiting.failedStep).toBeUndefined();

    const cancelled = await run.executeUpdate(cancelRunUpdate, {
      args: [{ by: 'bob', reason: 'not today' }],
    });
    expect(cancelled.message).toBe('cancelled by bob: not today');
    const end = await run.result();
    expect(end.phase).toBe('Cancelled');
    expect(end.steps.find((s) => s.name === 'approval')?.phase).toBe('Cancelled');
    expect(end.steps.find((s) => s.name === 'report')?.phase).toBe('Pending');
  });

  it('ends as a failed workflow once the retry window closes', async () => {
    passTests = false;
    const shortWindow = { ...pipeline, spec: { ...pipeline.spec, retryWindow: '0s' } };
    const saved = pipeline;
    pipeline = shortWindow;
    try {
      const sha = repo.commit(
        { 'staging/deployment.yaml': deployment('web', 'example.com/web:1.3') },
        'web 1.3',
      );
      const run = await startRun('3', { kind: 'manual', revision: sha, inputs: { tag: '1.3' } });
      const err = await run.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(String((err as WorkflowFailedError).cause?.message)).toMatch(/step test failed/);
    } finally {
      pipeline = saved;
    }
  });
});
