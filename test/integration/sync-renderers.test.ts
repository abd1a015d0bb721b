import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncUpdate } from '../../workflows/application/messages.js';
import { startApp, waitForStatus } from './helpers/app.js';
import { fixtureFiles } from './helpers/fixture-files.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { startTestWorker } from './helpers/test-worker.js';

describe('sync engine: kustomize and helm applications', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const repo = servedRepo('renderers');
  const kube = testKube();
  const apps: { terminate: (r: string) => Promise<unknown> }[] = [];
  const fixtures = join(import.meta.dirname, '../fixtures/renderers');

  beforeAll(async () => {
    w = await startTestWorker('renderers');
    repo.commit({
      ...fixtureFiles(join(fixtures, 'kustomize-app'), 'kustomize'),
      ...fixtureFiles(join(fixtures, 'helm-chart'), 'chart'),
    });
  });
  afterAll(async () => {
    for (const a of apps) await a.terminate('test done').catch(() => {});
    // The chart's CRD is cluster-scoped and tracked by this run's application: a later run on the same
    // cluster must not find it owned by an application that is gone.
    await kube.extensions.deleteCustomResourceDefinition({ name: 'widgets.example.com' }).catch(() => {});
    await w.stop();
  });

  const syncApp = async (name: string, source: Record<string, unknown>) => {
    const handle = await startApp(w.client, w.taskQueue, {
      name: `${name}-${suffix}`,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', ...source },
        destination: { namespace: `${name}-${suffix}` },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    });
    apps.push(handle);
    await waitForStatus(handle, 'the source revision', (s) => s.sourceRevision !== undefined);
    return handle.executeUpdate(syncUpdate, { args: [{}] });
  };

  it('a kustomize overlay (plugin detected from kustomization.yaml) syncs to Healthy', async () => {
    const result = await syncApp('kust', { path: 'kustomize/overlays/prod' });
    expect(result, result.message).toMatchObject({ phase: 'Succeeded', health: 'Healthy' });
    const d = await kube.apps.readNamespacedDeployment({ namespace: `kust-${suffix}`, name: 'web' });
    expect(d.spec?.replicas).toBe(3); // the overlay's patch; the base says 1
    expect(d.status?.readyReplicas).toBe(3);
  });

  it('a helm chart with a values file syncs to Healthy in the destination namespace', async () => {
    const result = await syncApp('helm', {
      path: 'chart',
      render: { plugin: 'helm', releaseName: 'shop', valueFiles: ['environments/prod.yaml'] },
    });
    expect(result, result.message).toMatchObject({ phase: 'Succeeded', health: 'Healthy' });
    const ns = `helm-${suffix}`;
    const d = await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'shop' });
    expect(d.spec?.replicas).toBe(3);
    expect(d.status?.readyReplicas).toBe(3);
    const cm = await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'shop-settings' });
    expect(cm.data?.greeting).toBe('hello from prod');
  });
});
