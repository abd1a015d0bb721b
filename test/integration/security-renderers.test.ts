// Issue 12, findings 1 and 6, written as the attacks: a pipeline-file author makes the worker's renderers
// read another team's checkout (kustomize) or run a command (helm). Each must fail the author's sync
// with a clear error and leave nothing of the victim's behind.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { syncUpdate } from '../../workflows/application/messages.js';
import { startApp, waitForStatus } from './helpers/app.js';
import { fixtureFiles } from './helpers/fixture-files.js';
import { servedRepo } from './helpers/git-repo.js';
import { orMissing, testKube } from './helpers/kube.js';
import { startTestWorker } from './helpers/test-worker.js';

const kustomization = (resources: string[]) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;

/** The chart fixture's files under `prefix`. */
const chartFiles = (prefix: string) =>
  fixtureFiles(join(import.meta.dirname, '../fixtures/renderers/helm-chart'), prefix);

describe('trust boundaries: renderers', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const teamA = servedRepo('sec-render-a');
  const teamB = servedRepo('sec-render-b');
  const kube = testKube();
  const apps: { terminate: (r: string) => Promise<unknown> }[] = [];
  const namespaces: string[] = [];

  beforeAll(async () => {
    w = await startTestWorker('sec-render');
  });
  afterAll(async () => {
    for (const a of apps) await a.terminate('test done').catch(() => {});
    await w?.stop();
    for (const name of namespaces) await kube.core.deleteNamespace({ name }).catch(() => undefined);
  });

  /** Starts the application (declared in repository repoId, as the watcher would) and syncs it once. */
  const sync = async (repoId: string, name: string, repoURL: string, source: Record<string, unknown>) => {
    const handle = await startApp(w.client, w.taskQueue, {
      repoId,
      name,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL, targetRevision: 'main', ...source },
        destination: { namespace: name },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    });
    apps.push(handle);
    namespaces.push(name);
    await waitForStatus(handle, 'the source revision', (s) => s.sourceRevision !== undefined);
    return handle.executeUpdate(syncUpdate, { args: [{}] });
  };

  /** Every Secret and ConfigMap value in a namespace (none when it does not exist). */
  const valuesIn = async (namespace: string): Promise<string> => {
    const secrets = await orMissing(kube.core.listNamespacedSecret({ namespace }));
    const maps = await orMissing(kube.core.listNamespacedConfigMap({ namespace }));
    return JSON.stringify([secrets?.items ?? [], maps?.items ?? []]);
  };

  it("team B's kustomization cannot build team A's checkout from the worker's cache", async () => {
    const token = `team-a-token-${suffix}`;
    const shaA = teamA.commit({
      'prod/kustomization.yaml': kustomization(['secret.yaml']),
      'prod/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: team-a-token\nstringData:\n  token: ${token}\n`,
    });
    const appA = `sec-a-${suffix}`;
    expect(await sync('team-a', appA, teamA.url, { path: 'prod' })).toMatchObject({ phase: 'Succeeded' });
    expect(await valuesIn(appA)).toContain('team-a-token');

    // The attacker guesses A's checkout the way the worker's RepoCache names it: trees/<sha256(url)[:12]>-<sha>,
    // beside B's own checkout; B's app folder is trees/<B's checkout>/app.
    const checkoutA = `${createHash('sha256').update(teamA.url).digest('hex').slice(0, 12)}-${shaA}`;
    const cache = dirname(w.deps.repoCache.gitdir(teamA.url));
    expect(existsSync(join(cache, 'trees', checkoutA, 'prod/secret.yaml'))).toBe(true); // the guess is right
    const stolen = `../../${checkoutA}/prod`;
    teamB.commit({
      'app/kustomization.yaml': kustomization(['cm.yaml', stolen]),
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: innocent\n',
    });
    const appB = `sec-b-${suffix}`;
    const result = await sync('team-b', appB, teamB.url, { path: 'app' });
    expect(result.phase).toBe('Failed');
    expect(result.message).toContain(
      `render failed: app/kustomization.yaml:5: resources[1] "${stolen}" leaves the repository: copy it into this repository, or use a remote base the administrator allows (render.kustomize.remoteBases)`,
    );
    expect(result.changed).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(token);
    expect(await valuesIn(appB)).not.toContain(token);
  });

  it('a helm releaseName that is a flag fails the sync without running a post-renderer or reading a worker file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-sec-render-'));
    const marker = join(dir, 'post-renderer-ran');
    const script = join(dir, 'post-render.sh');
    writeFileSync(script, `#!/bin/sh\ntouch ${marker}\ncat\n`);
    chmodSync(script, 0o755);
    teamB.commit(chartFiles('chart'));
    const kubeconfig = stackPaths(loadStackConfig()).kubeconfig;
    const [shell, leak] = await Promise.all([
      sync('team-b', `sec-helm-sh-${suffix}`, teamB.url, {
        path: 'chart',
        render: { plugin: 'helm', releaseName: `--post-renderer=${script}` },
      }),
      sync('team-b', `sec-helm-leak-${suffix}`, teamB.url, {
        path: 'chart',
        render: { plugin: 'helm', releaseName: `--set-file=greeting=${kubeconfig}` },
      }),
    ]);
    for (const r of [shell, leak]) {
      expect(r.phase).toBe('Failed');
      expect(r.message).toMatch(
        /^render failed: invalid helm render options: .*releaseName must be a Helm release name/,
      );
      expect(r.message).toContain(
        `(got ${JSON.stringify(r === shell ? `--post-renderer=${script}` : `--set-file=greeting=${kubeconfig}`)})`,
      );
      expect(r.changed).toEqual([]);
    }
    expect(existsSync(marker)).toBe(false);
    expect(await valuesIn(`sec-helm-leak-${suffix}`)).not.toContain('certificate-authority');
  });
});
