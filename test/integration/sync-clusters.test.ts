import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { applicationWorkflowId, syncWorkflowId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { createActivityWorker } from '../../worker/create-worker.js';
import { syncUpdate } from '../../workflows/application/messages.js';
import { clusterTaskQueue } from '../../workflows/shared/cluster-queue.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { configMapYaml } from './helpers/manifests.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

describe('a destination cluster served by its own worker', () => {
  const config = loadStackConfig();
  const suffix = Date.now().toString(36);
  const cluster = `edge-${suffix}`;
  const repo = servedRepo('clusters');
  let central: Awaited<ReturnType<typeof startTestWorker>>;
  let edge: Worker;
  let edgeRun: Promise<void>;
  let edgeConnection: NativeConnection;

  beforeAll(async () => {
    central = await startTestWorker('central');
    // The "edge" worker: only activities, on the cluster's queue, with its own credentials (the one
    // real cluster here stands in for a remote one).
    edgeConnection = await NativeConnection.connect({ address: `127.0.0.1:${config.ports.temporal}` });
    const deps = buildActivityDeps({
      kubeconfigPath: stackPaths(config).kubeconfig,
      cacheDir: mkdtempSync(join(tmpdir(), 'sluice-edge-')),
      trust: openTestTrust,
    });
    edge = await createActivityWorker({
      connection: edgeConnection,
      taskQueue: clusterTaskQueue(cluster) as string,
      activities: createActivities(deps),
    });
    edgeRun = edge.run();
  });
  afterAll(async () => {
    await central.client.workflow
      .getHandle(applicationWorkflowId(TEST_REPO, `remote-${suffix}`))
      .terminate('test done')
      .catch(() => {});
    edge.shutdown();
    await edgeRun;
    await edgeConnection.close();
    await central.stop();
  });

  it('runs every sync step on the cluster’s task queue', async () => {
    const sha = repo.commit({ 'app/config.yaml': configMapYaml('remote', { where: 'edge' }) });
    const app = await startApp(central.client, central.taskQueue, {
      name: `remote-${suffix}`,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path: 'app', render: { plugin: 'directory' } },
        destination: { cluster, namespace: `remote-${suffix}` },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    });
    await waitForStatus(app, 'the source revision', (s) => s.sourceRevision === sha);
    const result = await app.executeUpdate(syncUpdate, { args: [{}] });
    expect(result.phase).toBe('Succeeded');
    expect(
      (await testKube().core.readNamespacedConfigMap({ namespace: `remote-${suffix}`, name: 'remote' })).data,
    ).toEqual({ where: 'edge' });

    const history = await central.client.workflow
      .getHandle(syncWorkflowId(TEST_REPO, `remote-${suffix}`, sha, 1))
      .fetchHistory();
    const queues = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes)
      .filter((a) => a)
      .map((a) => `${a?.activityType?.name}@${a?.taskQueue?.name}`);
    const queue = `sluice-cluster-${cluster}`;
    // A one-wave render without hooks renders and applies in one step; a ConfigMap is Healthy right after its
    // apply, so no wait step follows (one would run on the same queue).
    expect(queues).toEqual([`renderAndApply@${queue}`]);
  });
});
