// Chart sources on the real stack: charts packaged with the built helm, served by the stack's HTTPS chart
// repository (basic auth) and OCI registry (htpasswd + TLS), synced by a real worker into the cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretStore } from '../../activities/secrets/secret-store.js';
import {
  applicationUpdateSignal,
  type DesiredApplication,
  historyQuery,
  rollbackUpdate,
  syncUpdate,
} from '../../workflows/application/messages.js';
import {
  chartServers,
  packageChart,
  pushToRegistry,
  pushToRepo,
  uniqueChartName,
} from '../helpers/charts.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

const servers = chartServers();

/** A chart whose Deployment shows the chart version (annotation and image tag) and a value from values files. */
const chartFiles = {
  'values.yaml': 'message: from the chart\n',
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    chart-version: {{ .Chart.Version | quote }}
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata:
      labels: { app: web }
      annotations:
        message: {{ .Values.message | quote }}
    spec:
      containers:
        - name: web
          image: registry.example/web:{{ .Chart.Version }}
`,
};

const secretsOf = (registryPassword: string) =>
  new SecretStore([
    {
      description: 'test secrets',
      lookup: async (name) =>
        name === 'chart-repo'
          ? { username: servers.repo.username, password: servers.repo.password }
          : name === 'registry'
            ? { username: servers.registry.username, password: registryPassword }
            : undefined,
    },
  ]);

const trust = {
  ...openTestTrust,
  helmRepositories: [
    { url: servers.repo.url, secretRef: { name: 'chart-repo' }, caFile: servers.repo.caFile },
    { url: servers.registry.ociUrl, secretRef: { name: 'registry' }, caFile: servers.registry.caFile },
  ],
};

describe('chart sources and multi-source Applications', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const kube = testKube();
  const apps: { terminate: (r: string) => Promise<unknown> }[] = [];
  const repoChart = uniqueChartName('web');
  const ociChart = uniqueChartName('web');
  const ociRepo = `${servers.registry.ociUrl}/charts-${suffix}`;
  const values = servedRepo('chart-values');
  let valuesSha = '';

  beforeAll(async () => {
    w = await startTestWorker('charts', { trust, secretStore: secretsOf(servers.registry.password) });
    for (const version of ['1.0.0', '1.1.0']) {
      await pushToRepo(packageChart(chartFiles, { name: repoChart, version }));
      pushToRegistry(packageChart(chartFiles, { name: ociChart, version }), ociRepo);
    }
    valuesSha = values.commit({ 'env/prod.yaml': 'message: from git\n' });
  }, 120_000);
  afterAll(async () => {
    for (const a of apps) await a.terminate('test done').catch(() => {});
    await w.stop();
  });

  const desired = (name: string, spec: Record<string, unknown>): DesiredApplication => ({
    name: `${name}-${suffix}`,
    project: 'default',
    revision: 'test',
    source: 'test',
    repoId: TEST_REPO,
    spec: {
      ...spec,
      destination: { namespace: `${name}-${suffix}` },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    },
  });

  const start = async (app: DesiredApplication) => {
    const handle = await startApp(w.client, w.taskQueue, app);
    apps.push(handle);
    return handle;
  };

  const deployment = (name: string) =>
    kube.apps.readNamespacedDeployment({ namespace: `${name}-${suffix}`, name: 'web' });

  it('syncs a chart from the HTTPS repository; a new constraint rolls it; a rollback renders the earlier version', async () => {
    const source = { repoURL: servers.repo.url, chart: repoChart, targetRevision: '~1.0.0' };
    const app = desired('repo', { source });
    const handle = await start(app);
    await waitForStatus(handle, 'version 1.0.0 resolved', (s) => s.sourceRevision === '1.0.0');
    const first = await handle.executeUpdate(syncUpdate, { args: [{}] });
    expect(first, first.message).toMatchObject({ phase: 'Succeeded', revision: '1.0.0' });
    expect((await deployment('repo')).metadata?.annotations?.['chart-version']).toBe('1.0.0');

    await handle.signal(applicationUpdateSignal, {
      ...app,
      spec: { ...app.spec, source: { ...source, targetRevision: '^1.0' } },
    });
    await waitForStatus(handle, 'version 1.1.0 resolved', (s) => s.sourceRevision === '1.1.0');
    const second = await handle.executeUpdate(syncUpdate, { args: [{}] });
    expect(second, second.message).toMatchObject({ phase: 'Succeeded', revision: '1.1.0' });
    const rolled = await deployment('repo');
    expect(rolled.metadata?.annotations?.['chart-version']).toBe('1.1.0');
    expect(rolled.spec?.template.spec?.containers[0]?.image).toBe('registry.example/web:1.1.0');

    const back = await handle.executeUpdate(rollbackUpdate, { args: [{ id: first.id }] });
    expect(back, back.message).toMatchObject({ phase: 'Succeeded', revision: '1.0.0' });
    expect((await deployment('repo')).metadata?.annotations?.['chart-version']).toBe('1.0.0');
    expect((await handle.query(historyQuery)).map((h) => h.revision)).toEqual(['1.0.0', '1.1.0', '1.0.0']);
  });

  it('takes a chart from the OCI registry and a $values/ file from Git, and records both revisions', async () => {
    const handle = await start(
      desired('multi', {
        sources: [
          {
            repoURL: ociRepo,
            chart: ociChart,
            targetRevision: '1.0.0',
            render: { plugin: 'helm', valueFiles: ['$values/env/prod.yaml'] },
          },
          { repoURL: values.url, targetRevision: 'main', ref: 'values' },
        ],
      }),
    );
    const sha = valuesSha;
    await waitForStatus(handle, 'both revisions resolved', (s) => s.sourceRevision === `1.0.0,${sha}`);
    const result = await handle.executeUpdate(syncUpdate, { args: [{}] });
    expect(result, result.message).toMatchObject({ phase: 'Succeeded', revision: `1.0.0,${sha}` });
    const d = await deployment('multi');
    expect(d.metadata?.annotations?.['chart-version']).toBe('1.0.0');
    expect(d.spec?.template.metadata?.annotations?.message).toBe('from git');
  });

  it('names the Application, the repository and what to do for wrong credentials and an unknown version', async () => {
    const wrong = await startTestWorker('charts-wrong', {
      trust,
      secretStore: secretsOf('not-the-password'),
    });
    try {
      const handle = await startApp(
        wrong.client,
        wrong.taskQueue,
        desired('wrong', { source: { repoURL: ociRepo, chart: ociChart, targetRevision: '*' } }),
      );
      apps.push(handle);
      const s = await waitForStatus(handle, 'an error', (st) => st.lastError !== undefined);
      expect(s.lastError).toMatch(
        /Application wrong-\w+: spec\.source: .*refused the configured credentials.*helmRepositories/,
      );
    } finally {
      await wrong.stop();
    }
    const handle = await start(
      desired('unknown', { source: { repoURL: servers.repo.url, chart: repoChart, targetRevision: '^9' } }),
    );
    const s = await waitForStatus(handle, 'an error', (st) => st.lastError !== undefined);
    expect(s.lastError).toMatch(
      new RegExp(
        `Application unknown-${suffix}: spec\\.source: .*no version of chart "${repoChart}" matches "\\^9".*change targetRevision`,
      ),
    );
  });
});
