import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, syncWorkflowId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { kwokNode } from '../../scripts/stack/kwok-nodes.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { historyQuery, syncUpdate } from '../../workflows/application/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { activityRuns } from './helpers/activity-history.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { configMapYaml, deploymentYaml } from './helpers/manifests.js';
import {
  applyAsSync,
  ensureNamespace,
  recordWeights,
  rolloutTarget,
  routesOf,
  startRollout,
  targetDeployment,
} from './helpers/rollout.js';
import { openTestTrust } from './helpers/test-worker.js';
import { spawnWorker, type WorkerProcess } from './helpers/worker-process.js';

// Three real `sluice worker` processes (from dist/: `npm run build` first) on one task queue. Worker A runs a
// sync's health wait and a rollout's canary wait — both held by pods that need a node which does not exist
// yet — while B and C join the queue; then A is SIGKILLed and the node is added. Both must finish on B and C
// within the activities' heartbeat timeouts, each step having run to one outcome.
describe('several workers on one task queue, one SIGKILLed mid-step', () => {
  const stack = loadStackConfig();
  const suffix = Date.now().toString(36);
  const taskQueue = `several-workers-${suffix}`;
  const appName = `mw-${suffix}`;
  const syncNs = `mw-sync-${suffix}`;
  const rolloutNs = `mw-rollout-${suffix}`;
  const dir = mkdtempSync(join(tmpdir(), 'sluice-several-workers-'));
  const repo = servedRepo('several-workers');
  const kube = testKube();
  // Pods that need this node wait (Pending) until the test creates it; its taint keeps everyone else's pods off it.
  const gateNodeName = `kwok-mw-${suffix}`;
  const gate = { key: 'sluice.dev/multi-worker-gate', value: suffix };
  const gated = {
    nodeSelector: { [gate.key]: gate.value },
    tolerations: [{ ...gate, effect: 'NoSchedule' }],
  };
  const ids = { a: `mw-a-${suffix}`, b: `mw-b-${suffix}`, c: `mw-c-${suffix}` };
  const deps = buildActivityDeps({
    kubeconfigPath: stackPaths(stack).kubeconfig,
    cacheDir: join(dir, 'test'),
    trust: openTestTrust,
  });
  const workers: WorkerProcess[] = [];
  let connection: Connection;
  let client: Client;

  /** Each worker its own identity and cache directory, as each pod of a Deployment has. */
  const configFile = (identity: string) => {
    const file = join(dir, `${identity}.yaml`);
    writeFileSync(
      file,
      [
        `temporal: {address: "127.0.0.1:${stack.ports.temporal}"}`,
        `taskQueue: ${taskQueue}`,
        `identity: ${identity}`,
        `kubeconfig: ${stackPaths(stack).kubeconfig}`,
        `cacheDir: ${join(dir, identity)}`,
        'webhooks: {port: 0}',
        "projects: [{name: default, sourceRepos: ['*'], destinations: [{namespace: '*'}], clusterResourceAllowList: [{group: '*', kind: '*'}]}]",
        '',
      ].join('\n'),
    );
    return file;
  };
  const start = (identity: string) => {
    const w = spawnWorker(configFile(identity));
    workers.push(w);
    return w;
  };

  /** The identity of the worker running the workflow's pending activity of that type, once it has started. */
  const runningOn = (handle: WorkflowHandle, type: string) =>
    waitFor(
      `${type} of ${handle.workflowId} to run`,
      async () => {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        const a = pending.find((p) => p.activityType?.name === type && p.lastStartedTime);
        return a?.lastWorkerIdentity || undefined;
      },
      60_000,
      100,
    );

  /** The identities polling the task queue for activities. */
  const activityPollers = async () => {
    const r = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    return new Set((r.pollers ?? []).map((p) => p.identity));
  };

  beforeAll(async () => {
    connection = await Connection.connect({ address: `127.0.0.1:${stack.ports.temporal}` });
    client = new Client({ connection });
    await ensureNamespace(deps, rolloutNs);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await client?.workflow
      .getHandle(applicationWorkflowId(TEST_REPO, appName))
      .terminate('test done')
      .catch(() => {});
    await connection?.close();
    for (const name of [syncNs, rolloutNs]) await kube.core.deleteNamespace({ name }).catch(() => {});
    await kube.core.deleteNode({ name: gateNodeName }).catch(() => {});
  });

  it('finishes the sync and the rollout on the other two, within the heartbeat timeouts, each step once', async () => {
    const a = start(ids.a);
    await a.started;

    // The rollout's target is initialised at v1 (its primary must be ready), then v2 waits for the gate.
    const env = { client, taskQueue, deps };
    const t = rolloutTarget(rolloutNs, 'web', 'istio');
    await applyAsSync(deps, targetDeployment(rolloutNs, 'web', 'example/app:1'));
    const init = await startRollout(env, t, { strategy: { canary: { stepWeight: 50 } } });
    expect((await init.result()).phase).toBe('Initialized');
    await applyAsSync(deps, targetDeployment(rolloutNs, 'web', 'example/app:2', gated));
    const weights = recordWeights(routesOf(deps, t));
    const rollout = await startRollout(env, t, {
      provider: 'istio',
      strategy: { canary: { steps: [{ setWeight: 10 }, { pause: { duration: '1s' } }, { setWeight: 20 }] } },
      analysis: { interval: '1s' },
    });

    // The sync: a gated Deployment in wave 0, ConfigMaps in wave 1.
    const files: Record<string, string> = {
      'app/deployment.yaml': deploymentYaml('gated', { replicas: 3, wave: 0, ...gated }),
    };
    for (let i = 0; i < 5; i++)
      files[`app/cm-${i}.yaml`] = configMapYaml(`cm-${i}`, { i: String(i) }, { 'sluice.dev/sync-wave': '1' });
    const sha = repo.commit(files);
    const app = await startApp(client, taskQueue, {
      name: appName,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path: 'app', render: { plugin: 'directory' } },
        destination: { namespace: syncNs },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    });
    await waitForStatus(app, 'the source revision', (s) => s.sourceRevision === sha);
    const syncDone = app.executeUpdate(syncUpdate, { args: [{}] });
    const syncHandle = client.workflow.getHandle(syncWorkflowId(TEST_REPO, appName, sha, 1));

    // Both steps run on A, the only worker so far.
    expect(await runningOn(syncHandle, 'waitResourcesHealthy')).toBe(ids.a);
    expect(await runningOn(rollout, 'waitDeploymentReady')).toBe(ids.a);

    // B and C join the queue; all three poll it.
    const others = [start(ids.b), start(ids.c)];
    await Promise.all(others.map((w) => w.started));
    await waitFor(
      'all three workers to poll the task queue',
      async () => {
        const p = await activityPollers();
        return p.has(ids.a) && p.has(ids.b) && p.has(ids.c);
      },
      30_000,
      250,
    );
    // Still A's steps: B and C have nothing to do until A is gone.
    expect(await runningOn(syncHandle, 'waitResourcesHealthy')).toBe(ids.a);
    expect(await runningOn(rollout, 'waitDeploymentReady')).toBe(ids.a);

    const killedAt = Date.now();
    await a.kill();
    await kube.core.createNode({
      body: {
        ...kwokNode(gateNodeName),
        metadata: {
          ...kwokNode(gateNodeName).metadata,
          labels: { ...kwokNode(gateNodeName).metadata?.labels, [gate.key]: gate.value },
        },
        spec: { taints: [{ ...gate, effect: 'NoSchedule' }] },
      },
    });

    const [synced, rolled] = await Promise.all([
      syncDone.then((r) => ({ r, at: Date.now() })),
      rollout.result().then((r) => ({ r, at: Date.now() })),
    ]);
    const seen = await weights.stop();
    expect(synced.r).toMatchObject({ id: 1, phase: 'Succeeded', revision: sha, health: 'Healthy' });
    expect(rolled.r.phase, rolled.r.message).toBe('Succeeded');

    // Each workflow retried exactly the step A was running, on B or C, within its heartbeat timeout (10 s for
    // a sync's health wait, 30 s for a rollout's ready wait) plus the retry's 1 s backoff and a margin; every
    // activity ended Completed, once.
    const survivors = [ids.b, ids.c];
    const measured: Record<string, number> = {};
    for (const [name, handle, type, heartbeatMs] of [
      ['sync', syncHandle, 'waitResourcesHealthy', 10_000],
      ['rollout', rollout, 'waitDeploymentReady', 30_000],
    ] as const) {
      const runs = await activityRuns(handle);
      expect(runs.filter((r) => r.outcome !== 'Completed')).toEqual([]);
      const retried = runs.filter((r) => (r.attempt ?? 1) > 1);
      expect(retried.map((r) => [r.type, r.attempt])).toEqual([[type, 2]]);
      const [again] = retried;
      expect(survivors).toContain(again?.identity);
      const restartMs = (again?.startedAt as number) - killedAt;
      measured[`${name} step restarted`] = restartMs;
      expect(restartMs).toBeGreaterThan(0);
      expect(restartMs).toBeLessThan(heartbeatMs + 8_000);
    }
    measured['sync finished'] = synced.at - killedAt;
    measured['rollout finished'] = rolled.at - killedAt;
    console.info('several workers: ms after SIGKILL', measured);

    // The rollout: every weight set once, in order — the reset, the two steps, the promotion.
    const weightCalls = (await activityRuns(rollout))
      .filter((r) => r.type === 'setTrafficRoutes')
      .map((r) => (r.input as { routes: { canaryWeight: number } }).routes.canaryWeight);
    expect(weightCalls).toEqual([0, 10, 20, 0]);
    expect(seen).toEqual([0, 10, 20, 0]);
    const primary = await kube.apps.readNamespacedDeployment({ namespace: rolloutNs, name: 'web-primary' });
    expect(primary.spec?.template.spec?.containers[0]?.image).toBe('example/app:2');

    // The sync: each wave applied once (wave 1 by B or C, from a render of the same key: A's disk is gone),
    // everything as desired, one history entry.
    const applies = (await activityRuns(syncHandle)).filter((r) => r.type === 'applyResources');
    expect(applies.map((r) => r.attempt)).toEqual([1, 1]);
    expect(survivors).toContain(applies[1]?.identity);
    const d = await kube.apps.readNamespacedDeployment({ namespace: syncNs, name: 'gated' });
    expect(d.status?.readyReplicas).toBe(3);
    const cms = await kube.core.listNamespacedConfigMap({
      namespace: syncNs,
      labelSelector: 'app.sluice.dev/name',
    });
    expect(cms.items.map((c) => c.metadata?.name).sort()).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
    expect(await app.query(historyQuery)).toHaveLength(1);

    // What the live-state caches cost the application (README, "Several workers"): a measurement, not a claim
    // the test can pin down — a worker signals only for kinds its own activities made it watch.
    const signals: Record<string, number> = {};
    for await (const e of (await app.fetchHistory()).events ?? []) {
      const sig = e.workflowExecutionSignaledEventAttributes;
      const from = sig?.identity ?? '';
      if (sig?.signalName === 'liveChanged') signals[from] = (signals[from] ?? 0) + 1;
    }
    const checks = (await activityRuns(app)).filter((r) => r.type === 'appLiveState').length;
    console.info('several workers: liveChanged signals by sender, and live checks', { signals, checks });
  });
});
