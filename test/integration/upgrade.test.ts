import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { openPinnedRuns, setCurrentVersion } from '../../cli/worker-deployment.js';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { createVersionedWorker } from '../../worker/create-worker.js';
import { workflowsPath } from '../../worker/workflows-path.js';
import { upgradePatchId } from '../fixtures/upgrade/patched-interceptor.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { deploymentYaml } from './helpers/manifests.js';
import { rolloutTarget, routesOf } from './helpers/rollout.js';
import { openTestTrust } from './helpers/test-worker.js';

type History = temporal.api.history.v1.IHistory;

// Upgrading workers under running workflows (docs/upgrading.md). The "new code" is the old workflows plus a
// workflow interceptor (test/fixtures/upgrade/patched-interceptor.ts) that issues one more command on every
// signal and update, behind patched(): it changes what running workflows do without depending on where any
// workflow file lives. Messages are addressed by name ('status', 'promote', 'refresh') for the same reason.
const newCodeModule = fileURLToPath(new URL('../fixtures/upgrade/patched-interceptor.ts', import.meta.url));

interface RolloutView {
  workflowId: string;
  revision: string;
  phase: string;
  canaryWeight: number;
}
interface AppView {
  syncedRevision?: string;
  rollout?: RolloutView;
}

/** The eventIds of the patch markers for `patchId` in a history. */
function patchMarkers(history: History, patchId: string): number[] {
  return (history.events ?? [])
    .filter((e) => {
      const m = e.markerRecordedEventAttributes;
      const details = Object.values(m?.details ?? {}).flatMap((p) => p.payloads ?? []);
      return (
        m?.markerName === 'core_patch' &&
        details.some((p) => p.data && Buffer.from(p.data).toString().includes(patchId))
      );
    })
    .map((e) => Number(e.eventId));
}

const lastEventId = (h: History): number => Number(h.events?.at(-1)?.eventId ?? 0);

describe('upgrading workers under a running Application and a paused rollout', () => {
  const config = loadStackConfig();
  const address = `127.0.0.1:${config.ports.temporal}`;
  const kube = testKube();
  const suffix = Date.now().toString(36);
  const deps = buildActivityDeps({
    kubeconfigPath: stackPaths(config).kubeconfig,
    cacheDir: mkdtempSync(join(tmpdir(), 'sluice-upgrade-')),
    prometheusAddress: `http://127.0.0.1:${config.ports.prometheus}`,
    trust: openTestTrust,
  });
  let connection: Connection;
  let client: Client;
  const started: string[] = []; // workflow IDs and SluiceApp values to end afterwards
  const namespaces: string[] = [];
  const running: { stop(): Promise<void> }[] = [];
  let oldBundle: string;
  let newBundle: string;

  /** A Sluice worker on `taskQueue` running the old or the new code, optionally as a deployment version. */
  async function startWorker(taskQueue: string, code: 'old' | 'new', deploymentName?: string) {
    const nativeConnection = await NativeConnection.connect({ address });
    const { worker, version } = await createVersionedWorker({
      connection: nativeConnection,
      taskQueue,
      activities: createActivities(deps),
      ...(code === 'new' ? { workflowInterceptorModules: [newCodeModule] } : {}),
      ...(deploymentName ? { deployment: { name: deploymentName } } : {}),
    });
    const run = worker.run();
    let stopped = false;
    const handle = {
      buildId: version?.buildId,
      async stop() {
        if (stopped) return;
        stopped = true;
        worker.shutdown();
        await run;
        await nativeConnection.close();
      },
    };
    running.push(handle);
    return handle;
  }

  /** A repository whose Application rolls out each new image through a canary that pauses at 20 %. */
  function scenario(name: string, taskQueue: string) {
    const repo = servedRepo(`upgrade-${name}`);
    const repoId = `upgrade-${name}-${suffix}`;
    const app = `web-${name}-${suffix}`;
    const ns = `upgrade-${name}-${suffix}`;
    namespaces.push(ns);
    started.push(app, repoWatcherId(repoId), applicationWorkflowId(repoId, app));
    const pipelineFiles = `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${app}
spec:
  source: {repoURL: ${repo.url}, targetRevision: main, path: manifests}
  destination: {namespace: ${ns}}
  rollout: web
  syncPolicy:
    automated: {prune: true}
    syncOptions: [CreateNamespace=true]
---
apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  targetRef: {name: web}
  service: {port: 80, targetPort: 8080}
  provider: istio
  strategy:
    canary:
      steps: [{setWeight: 20}, {pause: {}}, {setWeight: 60}]
  analysis: {interval: 1s}
`;
    const deployment = (image: string) => deploymentYaml('web', { image, containerPort: 8080 });
    const appHandle = () => client.workflow.getHandle(applicationWorkflowId(repoId, app));
    const appStatus = () => appHandle().query<AppView>('status');
    const rolloutOf = (sha: string, phases: string[]) =>
      waitFor(
        `the rollout of ${sha.slice(0, 7)} (${phases.join('|')})`,
        async () => {
          const r = (await appStatus()).rollout;
          return r && r.revision === sha && phases.includes(r.phase) ? r : undefined;
        },
        120_000,
        250,
      );
    return {
      repo,
      ns,
      appHandle,
      appStatus,
      /** Starts the watcher on the first commit, lets the rollout initialise, then pauses a rollout of web:2. */
      async startPausedRollout(): Promise<WorkflowHandle> {
        const sha1 = repo.commit({
          'pipelines/web.yaml': pipelineFiles,
          'manifests/deployment.yaml': deployment('web:1'),
        });
        await client.workflow.start('repoWatcherWorkflow', {
          taskQueue,
          workflowId: repoWatcherId(repoId),
          args: [
            { repoId, repo: { url: repo.url, revision: 'main', path: 'pipelines' }, pollInterval: '1s' },
          ],
        });
        const init = await rolloutOf(sha1, ['Initialized', 'Failed']);
        expect(init.phase).toBe('Initialized');
        const sha2 = repo.commit({ 'manifests/deployment.yaml': deployment('web:2') });
        const r = await rolloutOf(sha2, ['Progressing', 'Paused']);
        const rollout = client.workflow.getHandle(r.workflowId);
        await waitFor('the rollout to pause at 20%', async () => {
          const s = await rollout.query<RolloutView>('status');
          return s.phase === 'Paused' && s.canaryWeight === 20;
        });
        return rollout;
      },
      /** Promotes the paused rollout and checks it finished with all traffic on the primary running web:2. */
      async promote(rollout: WorkflowHandle): Promise<void> {
        const done = await rollout.executeUpdate<RolloutView, [object]>('promote', { args: [{}] });
        expect(done.phase).toBe('Succeeded');
        expect((await rollout.result()).phase).toBe('Succeeded');
        expect(await routesOf(deps, rolloutTarget(ns, 'web', 'istio'))()).toMatchObject({
          primaryWeight: 100,
          canaryWeight: 0,
        });
        const primary = await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web-primary' });
        expect(primary.spec?.template.spec?.containers[0]?.image).toBe('web:2');
      },
      /** Pushes a commit that changes no workload (no rollout) and waits until the Application synced it. */
      async pushAndSync(): Promise<string> {
        const sha = repo.commit({
          'manifests/settings.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {release: "3"}\n`,
        });
        await waitFor(
          `the Application to sync ${sha.slice(0, 7)}`,
          async () => (await appStatus()).syncedRevision === sha,
          120_000,
          250,
        );
        const cm = await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'settings' });
        expect(cm.data?.release).toBe('3');
        return sha;
      },
    };
  }

  beforeAll(async () => {
    connection = await Connection.connect({ address });
    client = new Client({ connection });
    const bundle = async (modules: string[]) =>
      (await bundleWorkflowCode({ workflowsPath: workflowsPath(), workflowInterceptorModules: modules }))
        .code;
    [oldBundle, newBundle] = await Promise.all([bundle([]), bundle([newCodeModule])]);
  }, 60_000);

  afterAll(async () => {
    // Rollouts outlive their application (ABANDON): end everything these tests started.
    const apps = started.filter((s) => !s.includes('/'));
    for (const id of started.filter((s) => s.includes('/')))
      await client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => undefined);
    for (const app of apps)
      for await (const w of client.workflow.list({
        query: `SluiceApp = "${app}" AND ExecutionStatus = "Running"`,
      }))
        await client.workflow
          .getHandle(w.workflowId)
          .terminate('test done')
          .catch(() => undefined);
    for (const w of running) await w.stop();
    await connection?.close();
    for (const name of namespaces) await kube.core.deleteNamespace({ name }).catch(() => undefined);
  });

  it('rolling replacement: a new worker with a patched change takes over both, and the old histories replay on it', async () => {
    const taskQueue = `upgrade-rolling-${suffix}`;
    const s = scenario('rolling', taskQueue);
    const oldWorker = await startWorker(taskQueue, 'old');
    const rollout = await s.startPausedRollout();
    const before = {
      app: await s.appHandle().fetchHistory(),
      rollout: await rollout.fetchHistory(),
    };
    expect(patchMarkers(before.app, upgradePatchId)).toEqual([]);
    expect(patchMarkers(before.rollout, upgradePatchId)).toEqual([]);

    await oldWorker.stop();
    await startWorker(taskQueue, 'new');
    await s.promote(rollout);
    await s.pushAndSync();

    const after = {
      app: await s.appHandle().fetchHistory(),
      rollout: await rollout.fetchHistory(),
    };
    // The changed behaviour starts after the upgrade, at the first message the new code handles.
    for (const k of ['app', 'rollout'] as const) {
      const markers = patchMarkers(after[k], upgradePatchId);
      expect(markers.length, `${k}: one patch marker`).toBe(1);
      expect(markers[0], `${k}: marker after the upgrade`).toBeGreaterThan(lastEventId(before[k]));
    }
    // The new code replays what the old one recorded, and the whole history across the upgrade…
    const newCode = { workflowBundle: { code: newBundle } };
    await Worker.runReplayHistory(newCode, before.app, s.appHandle().workflowId);
    await Worker.runReplayHistory(newCode, before.rollout, rollout.workflowId);
    await Worker.runReplayHistory(newCode, after.rollout, rollout.workflowId);
    // …and the change is real: the old code cannot replay what the new code recorded.
    await expect(
      Worker.runReplayHistory({ workflowBundle: { code: oldBundle } }, after.rollout, rollout.workflowId),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  }, 300_000);

  it('deployment versions: the Application moves to the new version, the pinned rollout finishes on the old one', async () => {
    const taskQueue = `upgrade-versions-${suffix}`;
    const deploymentName = `sluice-upgrade-${suffix}`;
    const s = scenario('versions', taskQueue);
    const a = await startWorker(taskQueue, 'old', deploymentName);
    // A version gets no tasks until it is current: the first deployment is promoted too.
    await waitFor('version A to register', async () => {
      await setCurrentVersion(client, deploymentName, a.buildId as string);
      return true;
    });
    const rollout = await s.startPausedRollout();
    const versionOf = async (h: WorkflowHandle) => {
      const info = (await h.describe()).raw.workflowExecutionInfo?.versioningInfo;
      return { buildId: info?.deploymentVersion?.buildId, behavior: info?.behavior };
    };
    expect(await versionOf(s.appHandle())).toEqual({ buildId: a.buildId, behavior: 2 }); // AUTO_UPGRADE
    expect(await versionOf(rollout)).toEqual({ buildId: a.buildId, behavior: 1 }); // PINNED

    const b = await startWorker(taskQueue, 'new', deploymentName);
    expect(b.buildId, 'the default build ID follows the code').not.toBe(a.buildId);
    await waitFor('version B to register', async () => {
      expect(await setCurrentVersion(client, deploymentName, b.buildId as string)).toBe(a.buildId);
      return true;
    });
    // The Application moves at its next task (a refresh here); the paused rollout stays on A.
    await s.appHandle().signal('refresh');
    await waitFor(
      'the Application to run on B',
      async () => (await versionOf(s.appHandle())).buildId === b.buildId,
    );
    expect(await versionOf(rollout)).toEqual({ buildId: a.buildId, behavior: 1 });
    await waitFor(
      'A to count the pinned rollout',
      async () => (await openPinnedRuns(client, deploymentName, a.buildId as string)) === 1,
    );

    // A (old code, still running) handles the promotion: no patch marker in the rollout's history.
    await s.promote(rollout);
    expect(patchMarkers(await rollout.fetchHistory(), upgradePatchId)).toEqual([]);
    expect((await versionOf(rollout)).buildId).toBe(a.buildId);
    // B (new code) handles the Application from the refresh on, and syncs the next commit.
    await s.pushAndSync();
    expect(patchMarkers(await s.appHandle().fetchHistory(), upgradePatchId).length).toBe(1);
    expect((await versionOf(s.appHandle())).buildId).toBe(b.buildId);

    // A is drained: nothing open is pinned to it, and the server has stopped routing to it.
    await waitFor(
      'no run left on A',
      async () => (await openPinnedRuns(client, deploymentName, a.buildId as string)) === 0,
      30_000,
      500,
    );
    const aInfo = await client.workflowService.describeWorkerDeploymentVersion({
      namespace: 'default',
      deploymentVersion: { deploymentName, buildId: a.buildId as string },
    });
    // DRAINING (1) until the server's next check after its visibility grace period, then DRAINED (2).
    expect([1, 2]).toContain(aInfo.workerDeploymentVersionInfo?.drainageInfo?.status);
    await a.stop();
  }, 300_000);
});
