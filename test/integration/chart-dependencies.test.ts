// Chart dependencies and the destination's capabilities on the real stack: a library chart pushed to the
// stack's OCI registry, a parent chart depending on it uploaded to the HTTPS chart repository, and charts
// whose templates read .Capabilities, synced by a real worker into the kwok cluster.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SecretStore } from '../../activities/secrets/secret-store.js';
import { type DesiredApplication, syncUpdate } from '../../workflows/application/messages.js';
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

/** A chart archive made with tar, as `helm package` would lay it out but without checking charts/. */
function tarChart(name: string, files: Record<string, string>): string {
  const work = mkdtempSync(join(tmpdir(), 'sluice-tar-chart-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(work, name, rel)), { recursive: true });
    writeFileSync(join(work, name, rel), content);
  }
  const tgz = join(work, `${name}-0.1.0.tgz`);
  execFileSync('tar', ['-czf', tgz, '-C', work, name]);
  return tgz;
}

/** A ConfigMap showing what helm's .Capabilities said, named after the chart. */
const capabilitiesTemplate = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Chart.Name }}-capabilities
data:
  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
  atLeast130: {{ semverCompare ">=1.30" .Capabilities.KubeVersion.Version | quote }}
  hasJob: {{ .Capabilities.APIVersions.Has "batch/v1/Job" | quote }}
`;

/** The library: one ConfigMap that says which chart version it came from. */
const libFiles = {
  'templates/lib.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-lib
data:
  from: {{ .Chart.Name }}-{{ .Chart.Version }}
`,
};

const trust = {
  ...openTestTrust,
  helmRepositories: [
    { url: servers.repo.url, secretRef: { name: 'chart-repo' }, caFile: servers.repo.caFile },
    { url: servers.registry.ociUrl, secretRef: { name: 'registry' }, caFile: servers.registry.caFile },
  ],
};

const secretStore = new SecretStore([
  {
    description: 'test secrets',
    lookup: async (name) =>
      name === 'chart-repo'
        ? { username: servers.repo.username, password: servers.repo.password }
        : name === 'registry'
          ? { username: servers.registry.username, password: servers.registry.password }
          : undefined,
  },
]);

describe('chart dependencies and cluster capabilities', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const kube = testKube();
  const apps: { terminate: (r: string) => Promise<unknown> }[] = [];
  const lib = uniqueChartName('lib');
  const parent = uniqueChartName('parent');
  const ociRepo = `${servers.registry.ociUrl}/deps-${suffix}`;
  const git = servedRepo('chart-in-git');
  let serverVersion = '';

  beforeAll(async () => {
    w = await startTestWorker('chartdeps', { trust, secretStore });
    serverVersion = (await kube.version.getCode()).gitVersion;
    for (const version of ['1.0.0', '1.1.0', '2.0.0'])
      pushToRegistry(packageChart(libFiles, { name: lib, version }), ociRepo);
    // helm package refuses a chart whose dependencies are not in charts/; other tools (and tar) do not.
    await pushToRepo(
      tarChart(parent, {
        'Chart.yaml': stringify({
          apiVersion: 'v2',
          name: parent,
          version: '0.1.0',
          dependencies: [{ name: lib, version: '^1.0.0', repository: ociRepo }],
        }),
        'templates/capabilities.yaml': capabilitiesTemplate,
      }),
    );
    git.commit({
      'charts/local/Chart.yaml': stringify({
        apiVersion: 'v2',
        name: 'local',
        version: '0.1.0',
        dependencies: [
          { name: lib, version: '~1.0.0', repository: ociRepo },
          { name: 'common', version: '0.1.0', repository: 'file://../common' },
        ],
      }),
      'charts/local/templates/capabilities.yaml': capabilitiesTemplate,
      'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\n',
      'charts/common/templates/common.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: common\ndata:\n  from: common\n',
    });
  }, 120_000);
  afterAll(async () => {
    for (const a of apps) await a.terminate('test done').catch(() => {});
    await w.stop();
  });

  const namespace = (name: string) => `${name}-${suffix}`;
  const desired = (name: string, spec: Record<string, unknown>): DesiredApplication => ({
    name: `${name}-${suffix}`,
    project: 'default',
    revision: 'test',
    source: 'test',
    repoId: TEST_REPO,
    spec: {
      ...spec,
      destination: { namespace: namespace(name) },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    },
  });
  const sync = async (app: DesiredApplication) => {
    const handle = await startApp(w.client, w.taskQueue, app);
    apps.push(handle);
    await waitForStatus(handle, 'a revision', (s) => s.sourceRevision !== undefined);
    const result = await handle.executeUpdate(syncUpdate, { args: [{}] });
    expect(result, result.message).toMatchObject({ phase: 'Succeeded' });
    return result;
  };
  const configMap = (name: string, cm: string) =>
    kube.core.readNamespacedConfigMap({ namespace: namespace(name), name: cm });

  it('syncs a chart from the HTTPS repository with its dependency from the OCI registry, rendered for the real cluster', async () => {
    const result = await sync(
      desired('deps', { source: { repoURL: servers.repo.url, chart: parent, targetRevision: '0.1.0' } }),
    );
    expect(result.revision).toBe('0.1.0');
    // The dependency's constraint ^1.0.0 resolved to the highest 1.x in the registry.
    expect((await configMap('deps', `deps-${suffix}-lib`)).data).toEqual({ from: `${lib}-1.1.0` });
    const caps = (await configMap('deps', `${parent}-capabilities`)).data;
    expect(serverVersion).toMatch(/^v1\.34\./);
    expect(caps).toEqual({ kubeVersion: serverVersion, atLeast130: 'true', hasJob: 'true' });
  });

  it("renders a local chart in Git with its OCI and file:// dependencies and the cluster's version", async () => {
    await sync(
      desired('local', { source: { repoURL: git.url, targetRevision: 'main', path: 'charts/local' } }),
    );
    // ~1.0.0: the highest 1.0.x, not 1.1.0.
    expect((await configMap('local', `local-${suffix}-lib`)).data).toEqual({ from: `${lib}-1.0.0` });
    expect((await configMap('local', 'common')).data).toEqual({ from: 'common' });
    expect((await configMap('local', 'local-capabilities')).data).toEqual({
      kubeVersion: serverVersion,
      atLeast130: 'true',
      hasJob: 'true',
    });
  });

  it('syncs a chart Application to an exact version given with the sync (sluice app sync --revision), and refuses a constraint', async () => {
    const app = desired('pinned', { source: { repoURL: ociRepo, chart: lib, targetRevision: '^1.0.0' } });
    const handle = await startApp(w.client, w.taskQueue, app);
    apps.push(handle);
    await waitForStatus(handle, '1.1.0 resolved', (s) => s.sourceRevision === '1.1.0');
    const pinned = await handle.executeUpdate(syncUpdate, { args: [{ revision: '1.0.0' }] });
    expect(pinned, pinned.message).toMatchObject({ phase: 'Succeeded', revision: '1.0.0' });
    expect((await configMap('pinned', `pinned-${suffix}-lib`)).data).toEqual({ from: `${lib}-1.0.0` });
    await expect(handle.executeUpdate(syncUpdate, { args: [{ revision: '^1.0.0' }] })).rejects.toMatchObject({
      cause: { message: 'revision "^1.0.0": source 1 needs a chart version, got "^1.0.0"' },
    });
    const missing = await handle.executeUpdate(syncUpdate, { args: [{ revision: '9.9.9' }] });
    expect(missing.phase).toBe('Failed');
    expect(missing.message).toMatch(/9\.9\.9/);
  });
});
