import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackStatus } from '../../scripts/stack/index.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { historyShards } from '../../scripts/stack/temporal-server-config.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { SluiceKind } from '../../workflows/shared/search-attributes.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from '../integration/helpers/git-repo.js';
import { testKube } from '../integration/helpers/kube.js';
import { deploymentYaml } from '../integration/helpers/manifests.js';
import { rolloutTarget, routesOf } from '../integration/helpers/rollout.js';
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
  const watcherId = `repo/${repoId}`;
  const appId = applicationWorkflowId(repoId, `web-${suffix}`);
  let env: Awaited<ReturnType<typeof startTestWorker>>;
  let telemetry: MeshTelemetry;

  const pipelineFiles = `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: web-${suffix}
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
  const appStatus = () => env.client.workflow.getHandle(appId).query(applicationStatusQuery);
  const rolloutOf = (sha: string) =>
    waitFor(
      `the rollout of ${sha.slice(0, 7)}`,
      async () => {
        const r = (await appStatus()).rollout;
        return r && r.revision === sha && ['Initialized', 'Succeeded', 'Failed'].includes(r.phase)
          ? r
          : undefined;
      },
      180_000,
      250,
    );
  const image = async (name: string) =>
    (await kube.apps.readNamespacedDeployment({ namespace: ns, name })).spec?.template.spec?.containers[0]
      ?.image;

  beforeAll(async () => {
    env = await startTestWorker('scale-pg');
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
    for await (const w of env.client.workflow.list({
      query: `SluiceApp = "web-${suffix}" AND ExecutionStatus = "Running"`,
    }))
      await env.client.workflow
        .getHandle(w.workflowId)
        .terminate('test done')
        .catch(() => undefined);
    for (const id of [watcherId, appId])
      await env.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => undefined);
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
      'manifests/deployment.yaml': deployment('web:1'),
    });
    await env.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: env.taskQueue,
      workflowId: watcherId,
      args: [{ repoId, repo: { url: repo.url, revision: 'main', path: 'pipelines' }, pollInterval: '2s' }],
    });
    const init = await rolloutOf(sha1);
    expect(init.phase, init.message).toBe('Initialized');
    expect(await image('web-primary')).toBe('web:1');

    const sha2 = repo.commit({ 'manifests/deployment.yaml': deployment('web:2') });
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
