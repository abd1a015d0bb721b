import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import type { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { waitForAppRollout } from './helpers/app.js';
import { endTestWorkflows } from './helpers/end-workflows.js';
import { servedRepo } from './helpers/git-repo.js';
import { deploymentImage, testKube } from './helpers/kube.js';
import { recordHistory } from './helpers/record-history.js';
import { startRepoWatcher } from './helpers/repo-watcher.js';
import { rolloutTarget } from './helpers/rollout.js';
import {
  istioCanaryRolloutYaml,
  rolloutApplicationYaml,
  webDeploymentYaml,
} from './helpers/rollout-files.js';
import { startRolloutTelemetry } from './helpers/rollout-telemetry.js';
import { sluice } from './helpers/sluice-cli.js';
import { startTestWorker } from './helpers/test-worker.js';

// A revision whose rollout failed because of its metric is not rolled out again by itself; once the metric is
// good, `sluice rollout retry` rolls the same revision out again, without a new commit, and it is promoted.
// Run `npm run build` first: the CLI runs from dist/.
describe('rollout retry', () => {
  const suffix = Date.now().toString(36);
  const ns = `retry-${suffix}`;
  const repoId = `rollout-retry-${suffix}`;
  const name = `web-${suffix}`;
  const repo = servedRepo('rollout-retry');
  const kube = testKube();
  const appId = applicationWorkflowId(repoId, name);
  let env: Awaited<ReturnType<typeof startTestWorker>>;
  let telemetry: MeshTelemetry;

  const pipelineFiles = `${rolloutApplicationYaml(name, repo.url, ns)}---\n${istioCanaryRolloutYaml()}`;
  const appStatus = () => env.client.workflow.getHandle(appId).query(applicationStatusQuery);
  const rolloutOf = (sha: string, phase: (p: string) => boolean) =>
    waitForAppRollout(env.client, appId, sha, phase);
  const image = (deploymentName: string) => deploymentImage(kube, ns, deploymentName);

  beforeAll(async () => {
    env = await startTestWorker('rollout-retry');
    telemetry = await startRolloutTelemetry(env.deps, rolloutTarget(ns, 'web', 'istio'));
  });
  afterAll(async () => {
    await endTestWorkflows(env?.client, { apps: [name], ids: [repoWatcherId(repoId)] });
    await telemetry?.stop();
    await env?.stop();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('promotes a revision that failed earlier once the metric is good', async () => {
    const sha1 = repo.commit({
      'pipelines/web.yaml': pipelineFiles,
      'manifests/deployment.yaml': webDeploymentYaml('web:1'),
    });
    await startRepoWatcher(env, repoId, repo.url);
    const init = await rolloutOf(sha1, (p) => p === 'Initialized' || p === 'Failed');
    expect(init.phase, init.message).toBe('Initialized');
    const target = `${repoId}/${name}`;
    // Only a failed rollout is retried.
    const early = await sluice(['rollout', 'retry', target]);
    expect(early.code, early.stderr).toBe(2);
    expect(early.stderr).toContain('did not fail (it is Initialized)');

    telemetry.setVersion(ns, 'web', { errorRate: 0.6 });
    const sha2 = repo.commit({ 'manifests/deployment.yaml': webDeploymentYaml('web:2') });
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
    await recordHistory(env.client, appId, 'application-rollout-retried');
  });
});
