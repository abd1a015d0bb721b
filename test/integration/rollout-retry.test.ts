import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { deploymentYaml } from './helpers/manifests.js';
import { recordHistory } from './helpers/record-history.js';
import { rolloutTarget, routesOf } from './helpers/rollout.js';
import { sluice } from './helpers/sluice-cli.js';
import { startTestWorker } from './helpers/test-worker.js';

// A revision whose rollout failed because of its metric is not rolled out again by itself; once the metric is
// good, `sluice rollout retry` rolls the same revision out again, without a new commit, and it is promoted.
// Run `npm run build` first: the CLI runs from dist/.
describe('rollout retry', () => {
  const config = loadStackConfig();
  const suffix = Date.now().toString(36);
  const ns = `retry-${suffix}`;
  const repoId = `rollout-retry-${suffix}`;
  const name = `web-${suffix}`;
  const repo = servedRepo('rollout-retry');
  const kube = testKube();
  const watcherId = `repo/${repoId}`;
  let env: Awaited<ReturnType<typeof startTestWorker>>;
  let telemetry: MeshTelemetry;

  const pipelineFiles = `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  source:
    repoURL: ${repo.url}
    targetRevision: main
    path: manifests
  destination:
    namespace: ${ns}
  rollout: web
  syncPolicy:
    automated: {prune: true}
    syncOptions: [CreateNamespace=true]
---
apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  targetRef: {name: web}
  service: {port: 80, targetPort: 8080}
  provider: istio
  strategy:
    canary: {stepWeights: [50]}
  analysis:
    interval: 2s
    threshold: 2
    metrics:
      - name: request-success-rate
        thresholdRange: {min: 99}
        interval: 10s
`;
  const deployment = (image: string) => deploymentYaml('web', { image, containerPort: 8080 });
  const appStatus = () =>
    env.client.workflow.getHandle(applicationWorkflowId(repoId, name)).query(applicationStatusQuery);
  const rolloutOf = (sha: string, phase: (p: string) => boolean) =>
    waitFor(
      `the rollout of ${sha.slice(0, 7)}`,
      async () => {
        const r = (await appStatus()).rollout;
        return r && r.revision === sha && phase(r.phase) ? r : undefined;
      },
      120_000,
      250,
    );
  const image = async (deploymentName: string) =>
    (await kube.apps.readNamespacedDeployment({ namespace: ns, name: deploymentName })).spec?.template.spec
      ?.containers[0]?.image;

  beforeAll(async () => {
    env = await startTestWorker('rollout-retry');
    telemetry = await MeshTelemetry.start({ prometheusTargetsDir: stackPaths(config).prometheusTargets });
    await telemetry.waitScraped(`http://${config.host}:${config.ports.prometheus}`);
    telemetry.addWorkload({
      namespace: ns,
      target: 'web',
      rps: 40,
      routes: routesOf(env.deps, rolloutTarget(ns, 'web', 'istio')),
    });
  });
  afterAll(async () => {
    for await (const wf of env.client.workflow.list({
      query: `SluiceApp = "${name}" AND ExecutionStatus = "Running"`,
    }))
      await env.client.workflow
        .getHandle(wf.workflowId)
        .terminate('test done')
        .catch(() => undefined);
    await env.client.workflow
      .getHandle(watcherId)
      .terminate('test done')
      .catch(() => undefined);
    await telemetry?.stop();
    await env?.stop();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('promotes a revision that failed earlier once the metric is good', async () => {
    const sha1 = repo.commit({
      'pipelines/web.yaml': pipelineFiles,
      'manifests/deployment.yaml': deployment('web:1'),
    });
    await env.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: env.taskQueue,
      workflowId: watcherId,
      args: [{ repoId, repo: { url: repo.url, revision: 'main', path: 'pipelines' }, pollInterval: '2s' }],
    });
    const init = await rolloutOf(sha1, (p) => p === 'Initialized' || p === 'Failed');
    expect(init.phase, init.message).toBe('Initialized');
    const target = `${repoId}/${name}`;
    // Only a failed rollout is retried.
    const early = await sluice(['rollout', 'retry', target]);
    expect(early.code, early.stderr).toBe(2);
    expect(early.stderr).toContain('did not fail (it is Initialized)');

    telemetry.setVersion(ns, 'web', { errorRate: 0.6 });
    const sha2 = repo.commit({ 'manifests/deployment.yaml': deployment('web:2') });
    const bad = await rolloutOf(sha2, (p) => p === 'Succeeded' || p === 'Failed');
    expect(bad.phase).toBe('Failed');
    expect(await image('web-primary')).toBe('web:1');
    // Refreshes and syncs go on, but the failed revision is not rolled out again by itself.
    await new Promise((r) => setTimeout(r, 6000));
    expect((await appStatus()).rollout).toMatchObject({ workflowId: bad.workflowId, phase: 'Failed' });

    // The metric is good again: let the bad canary's series age out of the 10 s query window, then retry.
    telemetry.setVersion(ns, 'web', { errorRate: 0 });
    await new Promise((r) => setTimeout(r, 11_000));
    const retry = await sluice([
      'rollout',
      'retry',
      target,
      '--by',
      'carol',
      '--reason',
      'Prometheus was flaky',
    ]);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toContain(`rollout of ${sha2.slice(0, 7)} started again`);
    const again = await rolloutOf(sha2, (p) => p === 'Succeeded' || p === 'Failed');
    expect(again.phase, again.message).toBe('Succeeded');
    expect(await image('web-primary')).toBe('web:2');
    const status = await appStatus();
    expect(status.rolloutRetry).toMatchObject({ by: 'carol', reason: 'Prometheus was flaky' });
    expect(status.rolloutRetry?.workflowId).toBe(again.workflowId);
    // A promoted rollout is not retried.
    const twice = await sluice(['rollout', 'retry', target]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('did not fail (it is Succeeded)');
    // For the replay test: the running application, with the retry update and the rollout it started again.
    await recordHistory(env.client, applicationWorkflowId(repoId, name), 'application-rollout-retried');
  });
});
