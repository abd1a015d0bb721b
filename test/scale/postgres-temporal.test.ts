import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackStatus } from '../../scripts/stack/index.js';
import type { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { historyShards } from '../../scripts/stack/temporal-server-config.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { SluiceKind } from '../../workflows/shared/search-attributes.js';
import { waitFor } from '../helpers/wait-for.js';
import { waitForAppRollout } from '../integration/helpers/app.js';
import { endTestWorkflows } from '../integration/helpers/end-workflows.js';
import { servedRepo } from '../integration/helpers/git-repo.js';
import { deploymentImage, testKube } from '../integration/helpers/kube.js';
import { startRepoWatcher } from '../integration/helpers/repo-watcher.js';
import { rolloutTarget } from '../integration/helpers/rollout.js';
import {
  istioCanaryRolloutYaml,
  rolloutApplicationYaml,
  webDeploymentYaml,
} from '../integration/helpers/rollout-files.js';
import { startRolloutTelemetry } from '../integration/helpers/rollout-telemetry.js';
import { startTestWorker } from '../integration/helpers/test-worker.js';

// The path a user takes (pipeline files in Git → watcher → sync → canary rollout with Prometheus analysis),
// on the Temporal server backed by PostgreSQL instead of the dev server: persistence, the 8 history shards,
// SQL visibility with Sluice's search attributes, and the UI in front of it.
describe('Sluice on the Temporal server backed by PostgreSQL', () => {
  const config = loadStackConfig();
  const suffix = Date.now().toString(36);
  const ns = `scale-pg-${suffix}`;
  const repoId = `scale-pg-${suffix}`;
  const repo = servedRepo('scale-pg');
  const kube = testKube();
  const appId = applicationWorkflowId(repoId, `web-${suffix}`);
  let env: Awaited<ReturnType<typeof startTestWorker>>;
  let telemetry: MeshTelemetry;

  const pipelineFiles = `${rolloutApplicationYaml(`web-${suffix}`, repo.url, ns)}---\n${istioCanaryRolloutYaml()}`;
  const appStatus = () => env.client.workflow.getHandle(appId).query(applicationStatusQuery);
  const rolloutOf = (sha: string) =>
    waitForAppRollout(
      env.client,
      appId,
      sha,
      (p) => ['Initialized', 'Succeeded', 'Failed'].includes(p),
      180_000,
    );
  const image = (name: string) => deploymentImage(kube, ns, name);

  beforeAll(async () => {
    env = await startTestWorker('scale-pg');
    telemetry = await startRolloutTelemetry(env.deps, rolloutTarget(ns, 'web', 'istio'));
  });
  afterAll(async () => {
    await endTestWorkflows(env?.client, { apps: [`web-${suffix}`], ids: [repoWatcherId(repoId), appId] });
    await telemetry?.stop();
    await env?.stop();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('runs on PostgreSQL with its history shards, the namespace, the search attributes and the UI', async () => {
    const status = await stackStatus(config);
    expect(status.temporal).toMatchObject({ mode: 'postgres', healthy: true, postgres: { healthy: true } });
    const metrics = await (await fetch(status.temporal.metrics ?? 'no metrics URL')).text();
    // Each shard the history service owns is counted; all of them live in this one process.
    expect(metrics).toMatch(new RegExp(`numshards_gauge\\{[^}]*\\} ${historyShards}\\b`));
  });

  it('syncs an application from Git and rolls out its next revision through a canary', async () => {
    const sha1 = repo.commit({
      'pipelines/web.yaml': pipelineFiles,
      'manifests/deployment.yaml': webDeploymentYaml('web:1'),
    });
    await startRepoWatcher(env, repoId, repo.url);
    const init = await rolloutOf(sha1);
    expect(init.phase, init.message).toBe('Initialized');
    expect(await image('web-primary')).toBe('web:1');

    const sha2 = repo.commit({ 'manifests/deployment.yaml': webDeploymentYaml('web:2') });
    const good = await rolloutOf(sha2);
    expect(good.phase, good.message).toBe('Succeeded');
    expect(await image('web-primary')).toBe('web:2');
    const app = await appStatus();
    expect(app).toMatchObject({ syncedRevision: sha2, syncStatus: 'Synced' });

    // SQL visibility answers Sluice's search attributes (the CLI's `sluice app list` relies on them).
    const kinds = await waitFor('the workflows in visibility', async () => {
      const seen = new Set<string>();
      for await (const w of env.client.workflow.list({ query: `SluiceApp = "web-${suffix}"` }))
        seen.add(String(w.typedSearchAttributes.get(SluiceKind)));
      return seen.has('application') && seen.has('rollout') && seen;
    });
    expect([...kinds]).toEqual(expect.arrayContaining(['application', 'rollout']));
  });
});
