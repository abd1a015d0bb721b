import {
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterKubeConfig } from '../../activities/kube/cluster-config.js';
import { LiveCache } from '../../activities/kube/live-state/live-cache.js';
import { ObjectApi } from '../../activities/kube/object-api.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackStatus, stackUp, stopComponentProcess } from '../../scripts/stack/index.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { waitFor } from '../helpers/wait-for.js';
import { testKube } from './helpers/kube.js';
import { configMap, tracked } from './helpers/live-objects.js';

// Restarts the shared stack's kube-apiserver (only it, the way `sluice dev up` starts it): kept in a file of its
// own, and the stack is healthy again before the file ends. Integration runs that start while the API server is
// down see an unhealthy stack; global-setup.ts must then not stop it at their end (it stops only a stack it
// started from nothing).
const config = loadStackConfig();
const kubeconfig = stackPaths(config).kubeconfig;
const ns = `live-restart-${Date.now().toString(36)}`;
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name });
const data = (o: KubernetesObject | undefined) => (o as { data?: Record<string, string> } | undefined)?.data;

describe('LiveCache across a kube-apiserver restart', () => {
  const kube = testKube();
  const kc = clusterKubeConfig(kubeconfig);
  const restarts: { kind: string; reason: string; at: number }[] = [];
  const backoffs: { at: number; delayMs: number }[] = [];
  const cache = new LiveCache({
    kubeConfig: kc,
    objects: ObjectApi.fromConfig(kc),
    cluster: 'dev',
    log: (_level, msg, fields) => {
      // The ConfigMap watch's own waits (the namespace watch backs off on its own schedule).
      if (msg === 'live watch restarting' && fields?.kind === 'ConfigMap')
        backoffs.push({ at: Date.now(), delayMs: Number(fields?.delayMs) });
    },
    hooks: { watchRestart: (kind, reason) => restarts.push({ kind, reason, at: Date.now() }) },
  });
  // The test's own writes go on a plain client (a connection per request), not the cache's pool.
  const plain = new KubeConfig();
  plain.loadFromFile(kubeconfig);
  const api = plain.makeApiClient(KubernetesObjectApi);

  beforeAll(async () => {
    const status = await stackStatus(config);
    if (!Object.values(status).every((c) => c.healthy))
      throw new Error('the stack must be healthy before a restart');
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await api.create(configMap(ns, 'changed', { v: 'before' }, tracked('repo', 'web')));
    await api.create(configMap(ns, 'deleted', { v: 'before' }, tracked('repo', 'web')));
    await cache.ensureKinds([{ apiVersion: 'v1', kind: 'ConfigMap' }]);
  });
  afterAll(async () => {
    await cache.stop();
    // Whatever happened above, leave the shared stack as it was: running and healthy.
    if (!(await stackStatus(config)).kubernetes.healthy) await stackUp(config, () => {});
    await api.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch(() => undefined);
  });

  it('resumes after the restart and misses no change made while its watch was down', async () => {
    expect(data((cache.get(ref('changed')) as { object?: KubernetesObject }).object)).toEqual({
      v: 'before',
    });
    expect(await stopComponentProcess(config, 'kube-apiserver')).toBe(true);
    const stoppedAt = Date.now();
    // Let the watch back off to a long wait (starting the API server takes seconds), so the changes below land
    // while the watch is still down: the cache must catch up on them when it reconnects, not see them live.
    await waitFor(
      'the watch to back off',
      async () => backoffs.some((b) => b.at >= stoppedAt && b.delayMs >= 12_000),
      60_000,
    );
    // Meanwhile the store moves on (in a real cluster, another API server writes): the restarted API server's watch
    // cache starts past the cache's resourceVersion, so resuming from it is answered 410 Gone and the kind relists.
    await bumpEtcdRevision();
    await stackUp(config, () => {}); // starts what is not running: the API server, as `sluice dev up` does
    const upAt = Date.now();
    // Right away: before the cache's watch (backing off while the server was down) is back.
    await api.patch(
      { ...configMap(ns, 'changed', { v: 'after' }) },
      undefined,
      undefined,
      'kubectl-patch',
      undefined,
      PatchStrategy.MergePatch,
    );
    await api.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name: 'deleted' } });
    await api.create(configMap(ns, 'created', { v: 'new' }, tracked('repo', 'web')));
    const changedAt = Date.now();
    await waitFor(
      'the cache to see all three changes',
      async () => {
        const changed = cache.get(ref('changed'));
        const deleted = cache.get(ref('deleted'));
        const created = cache.get(ref('created'));
        return (
          changed.synced &&
          data(changed.object)?.v === 'after' &&
          deleted.synced &&
          deleted.object === undefined &&
          created.synced &&
          data(created.object)?.v === 'new'
        );
      },
      60_000,
    );
    const seenAt = Date.now();
    const last = backoffs.filter((b) => b.at <= changedAt).at(-1);
    // For the record: how the watch came back (resumed, or relisted after 410) and how long it took.
    console.log(
      JSON.stringify({
        restarts: restarts.filter((r) => r.at >= stoppedAt).map((r) => r.reason),
        apiserverDownMs: upAt - stoppedAt,
        changesMadeMsAfterUp: changedAt - upAt,
        seenMsAfterChanges: seenAt - changedAt,
        changesBeforeReconnect: last !== undefined && changedAt < last.at + last.delayMs,
      }),
    );
    expect(
      last !== undefined && changedAt < last.at + last.delayMs,
      'the changes were made while the watch was down',
    ).toBe(true);
    // It came back through a relist: 410 Gone for the old resourceVersion, then the list (the deleted object gone).
    expect(
      restarts.filter((r) => r.at >= stoppedAt && r.kind === 'ConfigMap').map((r) => r.reason),
    ).toContain('gone');
    // The stack comes back whole (kwok's nodes report Ready again a few seconds after the API server).
    await waitFor(
      'the stack healthy again',
      async () => (await stackStatus(config)).kubernetes.healthy,
      90_000,
    );
    // Healthy processes are not yet a working cluster: after the API server's restart a new Deployment took
    // 40-77 s to become available here (restarting the controllers and kwok did not shorten it), and over 6
    // minutes under CI's load, which the next test file inherited. Hand the stack on only once it works.
    const t0 = Date.now();
    await kube.apps.createNamespacedDeployment({ namespace: ns, body: probeDeployment() });
    await waitFor(
      'a new Deployment available after the restart',
      async () =>
        ((await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'probe' })).status
          ?.availableReplicas ?? 0) >= 1,
      480_000,
    );
    console.log(JSON.stringify({ deploymentAvailableMsAfterHealthy: Date.now() - t0 }));
  }, 600_000);
});

/** Writes a key outside the API server's `/registry` prefix (etcd's v3 JSON gateway): etcd's revision moves on. */
async function bumpEtcdRevision(): Promise<void> {
  const key = Buffer.from('/sluice-test/revision-bump').toString('base64');
  const value = Buffer.from(String(Date.now())).toString('base64');
  const res = await fetch(`http://127.0.0.1:${config.ports.etcdClient}/v3/kv/put`, {
    method: 'POST',
    body: JSON.stringify({ key, value }),
  });
  if (!res.ok) throw new Error(`etcd put: HTTP ${res.status} ${await res.text()}`);
}

/** One pod that kwok runs: proof that the scheduler, the controllers and kwok all work again. */
function probeDeployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'probe' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'probe' } },
      template: {
        metadata: { labels: { app: 'probe' } },
        spec: { containers: [{ name: 'probe', image: 'registry.k8s.io/pause:3.10' }] },
      },
    },
  };
}
