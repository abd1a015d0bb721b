import { PatchStrategy } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeClients } from '../../activities/kube/client.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { historyQuery, refreshSignal } from '../../workflows/application/messages.js';
import { startApp, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { configMapYaml, deploymentYaml } from './helpers/manifests.js';
import { startTestWorker } from './helpers/test-worker.js';

describe('self-heal honours ignoreDifferences', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const ns = `ignore-${suffix}`;
  const repo = servedRepo('ignore');
  const kube = testKube();
  const objects = kubeClients(stackPaths(loadStackConfig()).kubeconfig).objects;
  let app: Awaited<ReturnType<typeof startApp>>;

  beforeAll(async () => {
    w = await startTestWorker('ignore');
    const sha = repo.commit({
      'app/deployment.yaml': deploymentYaml('web'),
      'app/config.yaml': configMapYaml('web', { a: '1' }),
    });
    app = await startApp(w.client, w.taskQueue, {
      name: `ignore-${suffix}`,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path: 'app', render: { plugin: 'directory' } },
        destination: { namespace: ns },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
        // An autoscaler owns the replica count.
        ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
      },
    });
    await waitForStatus(app, 'the first sync', (s) => s.syncedRevision === sha && s.health === 'Healthy');
  });
  afterAll(async () => {
    await app.terminate('test done').catch(() => {});
    await w.stop();
  });

  it('leaves an ignored field alone and heals one that is not', async () => {
    const before = (await app.query(historyQuery)).length;
    // An "HPA" scales the Deployment through its own field manager.
    await objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: { replicas: 5 },
      },
      undefined,
      undefined,
      'hpa-controller',
      true,
      PatchStrategy.ServerSideApply,
    );
    await app.signal(refreshSignal);
    await new Promise((r) => setTimeout(r, 4000));
    expect((await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).spec?.replicas).toBe(5);
    expect((await app.query(historyQuery)).length).toBe(before);

    await kube.core.patchNamespacedConfigMap({
      namespace: ns,
      name: 'web',
      body: [{ op: 'replace', path: '/data/a', value: '2' }],
    });
    await app.signal(refreshSignal);
    const s = await waitForStatus(
      app,
      'the heal',
      (s) => (s.lastSync?.id ?? 0) > before && s.phase !== 'Syncing',
      30_000,
    );
    expect(s.lastSync?.changed).toContain(`ConfigMap ${ns}/web`);
    expect((await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web' })).data).toEqual({
      a: '1',
    });
  });
});
