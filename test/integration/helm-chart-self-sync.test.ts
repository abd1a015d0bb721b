import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ProjectConfig } from '../../activities/trust/config.js';
import { syncUpdate } from '../../workflows/application/messages.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { fixtureFiles } from './helpers/fixture-files.js';
import { servedRepo } from './helpers/git-repo.js';
import { orMissing, testKube } from './helpers/kube.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

// Sluice syncing its own chart: deploy/helm/sluice pushed to a repository on the stack's Git server and
// the shipped deploy/self-managed/application-helm.yaml synced by a real worker through the helm
// renderer, under the `platform` Project that Application's own values declare. Only what must differ
// per run is substituted: the repository URL, the namespace, and the Application's name and release name
// (the chart names its ClusterRole and binding, which are cluster-wide, after the release).
describe('deploy/helm/sluice synced by Sluice (deploy/self-managed/application-helm.yaml)', () => {
  const root = join(import.meta.dirname, '../..');
  const application = parse(readFileSync(join(root, 'deploy/self-managed/application-helm.yaml'), 'utf8'));
  const suffix = Date.now().toString(36);
  const name = `sluice-${suffix}`;
  const namespace = `sluice-self-${suffix}`;
  const repo = servedRepo('self-sync');
  const kube = testKube();
  const values = application.spec.source.render.values;
  const selector = `app.kubernetes.io/name=sluice,app.kubernetes.io/instance=${name}`;
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let app: Awaited<ReturnType<typeof startApp>> | undefined;

  beforeAll(async () => {
    // The Project as the Application's values declare it for the worker, moved to this run's namespace,
    // and this run's repository bound to it as `repositories:` binds the real one.
    const projects = (values.config.projects as ProjectConfig[]).map((p) => ({
      ...p,
      destinations: p.destinations.map((d) => ({ ...d, namespace })),
    }));
    w = await startTestWorker('self-sync', {
      trust: {
        ...openTestTrust,
        projects,
        repositories: [{ id: TEST_REPO, url: repo.url, projects: [application.spec.project] }],
      },
    });
    repo.commit(fixtureFiles(join(root, 'deploy/helm/sluice'), application.spec.source.path));
  });
  afterAll(async () => {
    await app?.terminate('test done').catch(() => {});
    await w.stop();
    await kube.core.deleteNamespace({ name: namespace }).catch(() => {});
    await kube.rbac.deleteClusterRoleBinding({ name }).catch(() => {});
    await kube.rbac.deleteClusterRole({ name }).catch(() => {});
  });

  it('syncs the chart to Synced and Healthy: the worker Deployment available, RBAC and config in place', async () => {
    expect(application.spec.source.render).toMatchObject({ plugin: 'helm', releaseName: 'sluice' });
    app = await startApp(w.client, w.taskQueue, {
      name,
      project: application.spec.project,
      revision: 'test',
      source: 'deploy/self-managed/application-helm.yaml',
      spec: {
        ...application.spec,
        source: {
          ...application.spec.source,
          repoURL: repo.url,
          render: { ...application.spec.source.render, releaseName: name },
        },
        destination: { ...application.spec.destination, namespace },
      },
    });
    // Automated sync: the application syncs on its own once it has resolved the branch.
    // A failed sync ends the wait (and the test) at once, with its message.
    const status = await waitForStatus(
      app,
      'Synced and Healthy',
      (s) =>
        s.lastSync?.phase === 'Failed' ||
        (s.syncStatus === 'Synced' && s.health === 'Healthy' && s.lastSync?.phase === 'Succeeded'),
      120_000,
    );
    expect(status.lastSync?.phase, status.lastSync?.message).toBe('Succeeded');
    expect(status.syncedRevision).toBe(status.sourceRevision);
    expect(status.lastSync?.changed.slice().sort()).toEqual(
      [
        `Service ${namespace}/${name}`,
        `ServiceAccount ${namespace}/${name}`,
        `ConfigMap ${namespace}/${name}-config`,
        `apps/Deployment ${namespace}/${name}`,
        `rbac.authorization.k8s.io/ClusterRole ${name}`,
        `rbac.authorization.k8s.io/ClusterRoleBinding ${name}`,
      ].sort(),
    );

    const d = await kube.apps.readNamespacedDeployment({ namespace, name });
    expect(d.metadata?.labels).toMatchObject({
      'app.kubernetes.io/name': 'sluice',
      'app.kubernetes.io/instance': name,
      'app.kubernetes.io/managed-by': 'Helm',
      'helm.sh/chart': expect.stringMatching(/^sluice-\d/),
    });
    expect(d.status?.availableReplicas).toBe(1);
    const c = d.spec?.template.spec?.containers[0];
    expect(c?.image).toBe(`${values.image.repository}:${values.image.tag}`);
    expect(c?.ports?.map((p) => p.name)).toEqual(['webhooks', 'metrics', 'sdk-metrics']);
    expect(d.spec?.template.spec?.serviceAccountName).toBe(name);

    for (const list of [
      await kube.core.listNamespacedServiceAccount({ namespace, labelSelector: selector }),
      await kube.core.listNamespacedService({ namespace, labelSelector: selector }),
      await kube.core.listNamespacedConfigMap({ namespace, labelSelector: selector }),
      await kube.rbac.listClusterRole({ labelSelector: selector }),
      await kube.rbac.listClusterRoleBinding({ labelSelector: selector }),
    ])
      expect(list.items.map((o) => o.metadata?.name)).toEqual([
        expect.stringMatching(new RegExp(`^${name}(-config)?$`)),
      ]);
    const binding = await kube.rbac.readClusterRoleBinding({ name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name, namespace }]);
    // The worker config carries the Project the Application acts under, so the deployed worker would
    // allow this Application to keep managing it.
    const cm = await kube.core.readNamespacedConfigMap({ namespace, name: `${name}-config` });
    expect(parse(cm.data?.['worker.yaml'] ?? '').projects).toEqual(values.config.projects);
  });

  it('a second sync of the same revision changes nothing', async () => {
    expect(app).toBeDefined();
    if (!app) return;
    const before = await kube.apps.readNamespacedDeployment({ namespace, name });
    const result = await app.executeUpdate(syncUpdate, { args: [{}] });
    expect(result, result.message).toMatchObject({
      phase: 'Succeeded',
      health: 'Healthy',
      changed: [],
      pruned: [],
    });
    const after = await kube.apps.readNamespacedDeployment({ namespace, name });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(await orMissing(kube.core.readNamespace({ name: namespace }))).toBeDefined();
  });
});
