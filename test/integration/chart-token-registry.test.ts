// Chart sources from an OCI registry that uses Docker's token authentication (as Docker Hub, ghcr.io, GAR and
// Harbor do): the stack's second docker-registry trusts only tokens from the stack's token server, which sits
// on another port (so the credentials reach it only because the entry lists it in tokenRealms). Charts are
// pushed with the built helm (which does the token flow itself) and synced by a real worker into the cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretStore } from '../../activities/secrets/secret-store.js';
import { type DesiredApplication, syncUpdate } from '../../workflows/application/messages.js';
import { chartServers, packageChart, pushToRegistry, uniqueChartName } from '../helpers/charts.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { testKube } from './helpers/kube.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

const registry = chartServers().tokenRegistry;

const secretsOf = (password: string) =>
  new SecretStore([
    {
      description: 'test secrets',
      lookup: async (name) =>
        name === 'token-registry' ? { username: registry.username, password } : undefined,
    },
  ]);

const trust = {
  ...openTestTrust,
  helmRepositories: [
    {
      url: registry.ociUrl,
      secretRef: { name: 'token-registry' },
      caFile: registry.caFile,
      tokenRealms: [registry.realm],
    },
    // public/ needs no credentials: this entry only gives the CA bundle (the longest prefix wins).
    { url: `${registry.ociUrl}/public`, caFile: registry.caFile, tokenRealms: [registry.realm] },
  ],
};

describe('chart sources from a token-auth OCI registry', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const kube = testKube();
  const apps: { terminate: (r: string) => Promise<unknown> }[] = [];
  const chart = uniqueChartName('tok');
  const privateRepo = `${registry.ociUrl}/private-${suffix}`;
  const publicRepo = `${registry.ociUrl}/public/charts-${suffix}`;

  beforeAll(async () => {
    w = await startTestWorker('charts-token', { trust, secretStore: secretsOf(registry.password) });
    const tgz = packageChart({}, { name: chart, version: '1.2.0' });
    pushToRegistry(tgz, privateRepo);
    pushToRegistry(tgz, publicRepo);
  }, 120_000);
  afterAll(async () => {
    for (const a of apps) await a.terminate('test done').catch(() => {});
    await w?.stop();
  });

  const desired = (name: string, repoURL: string): DesiredApplication => ({
    name: `${name}-${suffix}`,
    project: 'default',
    revision: 'test',
    source: 'test',
    repoId: TEST_REPO,
    spec: {
      source: { repoURL, chart, targetRevision: '^1.0' },
      destination: { namespace: `${name}-${suffix}` },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    },
  });

  const syncs = async (name: string, repoURL: string) => {
    const handle = await startApp(w.client, w.taskQueue, desired(name, repoURL));
    apps.push(handle);
    await waitForStatus(handle, 'version resolved', (s) => s.sourceRevision === '1.2.0');
    const result = await handle.executeUpdate(syncUpdate, { args: [{}] });
    expect(result, result.message).toMatchObject({ phase: 'Succeeded', revision: '1.2.0' });
    const cms = await kube.core.listNamespacedConfigMap({ namespace: `${name}-${suffix}` });
    expect(cms.items.map((c) => c.data?.chartVersion)).toContain('1.2.0');
  };

  it('syncs a chart with the configured credentials, sent to the listed token service', async () => {
    await syncs('tokpriv', privateRepo);
  });

  it('syncs a chart under public/ anonymously', async () => {
    await syncs('tokpub', publicRepo);
  });

  it('names the Application, the field and the token service for wrong credentials', async () => {
    const wrong = await startTestWorker('charts-token-wrong', {
      trust,
      secretStore: secretsOf('not-the-password'),
    });
    try {
      const handle = await startApp(wrong.client, wrong.taskQueue, desired('tokwrong', privateRepo));
      apps.push(handle);
      const s = await waitForStatus(handle, 'an error', (st) => st.lastError !== undefined);
      expect(s.lastError).toMatch(
        /Application tokwrong-\w+: spec\.source: .*token service https:\/\/127\.0\.0\.1:\d+\/token refused the configured credentials.*helmRepositories/,
      );
    } finally {
      await wrong.stop();
    }
  });
});
