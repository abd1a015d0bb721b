import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, syncWorkflowId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { historyQuery, syncUpdate } from '../../workflows/application/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { configMapYaml, deploymentYaml } from './helpers/manifests.js';

// The worker runs as a real `sluice worker` process (from dist/: `npm test` builds first), so the
// test can SIGKILL it mid-sync and start another, as a crash in production would.
describe('a worker killed with SIGKILL in the middle of a sync', () => {
  const config = loadStackConfig();
  const suffix = Date.now().toString(36);
  const taskQueue = `crash-${suffix}`;
  const repo = servedRepo('crash');
  const kube = testKube();
  const ns = `crash-${suffix}`;
  const dir = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
  const workerConfig = join(dir, 'worker.yaml');
  let worker: ChildProcess | undefined;
  let client: Client;
  let connection: Connection;

  const startWorker = () => {
    const child = spawn(process.execPath, ['bin/sluice.js', 'worker', '--config', workerConfig], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    return {
      child,
      started: waitFor('the worker to start', async () => output.includes('worker started'), 60_000),
    };
  };

  beforeAll(async () => {
    writeFileSync(
      workerConfig,
      `temporal: {address: "127.0.0.1:${config.ports.temporal}"}\ntaskQueue: ${taskQueue}\nkubeconfig: ${stackPaths(config).kubeconfig}\ncacheDir: ${join(dir, 'cache')}\nwebhooks: {port: 0}\nprojects: [{name: default, sourceRepos: ['*'], destinations: [{namespace: '*'}], clusterResourceAllowList: [{group: '*', kind: '*'}]}]\n`,
    );
    connection = await Connection.connect({ address: `127.0.0.1:${config.ports.temporal}` });
    client = new Client({ connection });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await client.workflow
      .getHandle(applicationWorkflowId(TEST_REPO, `crash-${suffix}`))
      .terminate('test done')
      .catch(() => {});
    await connection.close();
  });

  it('completes after a new worker takes over, with every object as desired and one history entry', async () => {
    const files: Record<string, string> = {
      'app/deployment.yaml': deploymentYaml('big', { replicas: 40, wave: 0 }),
    };
    for (let i = 0; i < 30; i++)
      files[`app/cm-${i}.yaml`] = configMapYaml(`cm-${i}`, { i: String(i) }, { 'sluice.dev/sync-wave': '1' });
    const sha = repo.commit(files);

    const first = startWorker();
    worker = first.child;
    await first.started;
    const app = await startApp(client, taskQueue, {
      name: `crash-${suffix}`,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path: 'app', render: { plugin: 'directory' } },
        destination: { namespace: ns },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    });
    await waitForStatus(app, 'the source revision', (s) => s.sourceRevision === sha);
    const sync = app.executeUpdate(syncUpdate, { args: [{}] });

    // Kill the worker while wave 0 is applied but not yet healthy: its wait activity is running.
    const syncHandle = client.workflow.getHandle(syncWorkflowId(TEST_REPO, `crash-${suffix}`, sha, 1));
    await waitFor(
      'wave 0 to be in flight',
      async () => {
        const d = await syncHandle.describe();
        return d.raw.pendingActivities?.some((a) => a.activityType?.name === 'waitResourcesHealthy');
      },
      60_000,
      20,
    );
    worker.kill('SIGKILL');
    await new Promise((r) => worker?.once('exit', r));
    expect((await syncHandle.describe()).status.name).toBe('RUNNING');

    const second = startWorker();
    worker = second.child;
    await second.started;
    const result = await sync;
    expect(result).toMatchObject({ id: 1, phase: 'Succeeded', revision: sha, health: 'Healthy' });

    const d = await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'big' });
    expect(d.status?.readyReplicas).toBe(40);
    const cms = await kube.core.listNamespacedConfigMap({
      namespace: ns,
      labelSelector: 'app.sluice.dev/name',
    });
    expect(cms.items.map((c) => c.metadata?.name).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `cm-${i}`).sort(),
    );
    const history = await app.query(historyQuery);
    expect(history.filter((h) => h.revision === sha)).toHaveLength(1);
    expect(history).toHaveLength(1);
  });
});
