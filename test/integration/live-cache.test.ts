import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_MANAGER } from '../../activities/kube/apply.js';
import { clusterKubeConfig } from '../../activities/kube/cluster-config.js';
import { startAppNotifier } from '../../activities/kube/live-state/app-notifier.js';
import { LiveCache } from '../../activities/kube/live-state/live-cache.js';
import type { LiveEvent } from '../../activities/kube/live-state/types.js';
import { MissingKindError, ObjectApi } from '../../activities/kube/object-api.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import type { LiveChangeNotice } from '../../workflows/application/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { testKube } from './helpers/kube.js';
import { configMap, deployment, tracked } from './helpers/live-objects.js';

const run = promisify(execFile);
const stack = loadStackConfig();
const kubeconfig = stackPaths(stack).kubeconfig;
const kubectl = (...args: string[]) =>
  run(join(stack.toolsBin, 'kubectl'), ['--kubeconfig', kubeconfig, ...args]);
const ns = `live-${Date.now().toString(36)}`;
const kinds = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
];
const cmRef = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name });
const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
const log = (level: string, msg: string, fields?: Record<string, unknown>) =>
  logs.push({ level, msg, fields });

describe('LiveCache against the real kube-apiserver', () => {
  const kc = clusterKubeConfig(kubeconfig);
  const objects = ObjectApi.fromConfig(kc);
  const kube = testKube();
  const stateDir = mkdtempSync(join(tmpdir(), 'sluice-live-'));
  const restarts: string[] = [];
  const cache = new LiveCache({
    kubeConfig: kc,
    objects,
    cluster: 'dev',
    stateDir,
    log,
    hooks: { watchRestart: (kind, reason) => restarts.push(`${kind}:${reason}`) },
  });
  const events: LiveEvent[] = [];
  cache.onChange((e) => {
    if (e.ref.namespace === ns) events.push(e);
  });
  const create = (obj: KubernetesObject) => objects.create(obj);

  beforeAll(async () => {
    await kube.core.createNamespace({ body: { metadata: { name: ns } } });
    await create(configMap(ns, 'tracked', { a: '1' }, tracked('repo', 'web')));
    await create(configMap(ns, 'untracked', { a: '1' }));
    await create(deployment(ns, 'web', tracked('repo', 'web')));
  });
  afterAll(async () => {
    await cache.stop();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('is not synced before the first list, then holds only the labelled objects', async () => {
    expect(cache.get(cmRef('tracked'))).toEqual({ synced: false });
    expect(cache.namespaceExists(ns)).toBeUndefined();
    await cache.ensureKinds(kinds);
    const cm = cache.get(cmRef('tracked'));
    expect(cm.synced && cm.object?.metadata?.name).toBe('tracked');
    expect(cm.synced && (cm.object as { data?: unknown }).data).toEqual({ a: '1' });
    // Wire form, as the watch delivers it: timestamps are strings.
    expect(cm.synced && typeof cm.object?.metadata?.creationTimestamp).toBe('string');
    expect(cache.get(cmRef('untracked'))).toEqual({ synced: true });
    const dep = cache.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' });
    expect(dep.synced && dep.object?.kind).toBe('Deployment');
    await waitFor('namespaces listed', async () => cache.namespaceExists(ns) === true);
    expect(cache.namespaceExists(`${ns}-nope`)).toBe(false);
    expect(cache.stats().objects.ConfigMap).toBeGreaterThanOrEqual(1);
    // Unlabelled objects never enter the cache, whatever happens to them.
    expect(events.some((e) => e.ref.name === 'untracked')).toBe(false);
  });

  it('remembers the kinds it watches for the next start', () => {
    const saved = JSON.parse(readFileSync(join(stateDir, 'kinds-dev.json'), 'utf8'));
    expect(saved).toEqual(expect.arrayContaining(kinds));
  });

  it('rejects a kind the cluster does not serve', async () => {
    await expect(cache.ensureKinds([{ apiVersion: 'nope.sluice.dev/v1', kind: 'Nothing' }])).rejects.toThrow(
      MissingKindError,
    );
  });

  it('sees ADDED, MODIFIED and DELETED as they happen', async () => {
    events.length = 0;
    await create(configMap(ns, 'c2', { a: '1' }, tracked('repo', 'web')));
    await waitFor('ADDED', async () => events.find((e) => e.type === 'ADDED' && e.ref.name === 'c2'));
    await kubectl('-n', ns, 'patch', 'configmap', 'c2', '-p', '{"data":{"a":"2"}}');
    const modified = await waitFor('MODIFIED', async () =>
      events.find((e) => e.type === 'MODIFIED' && e.ref.name === 'c2'),
    );
    expect((modified.previous as { data?: unknown }).data).toEqual({ a: '1' });
    expect((modified.object as { data?: unknown }).data).toEqual({ a: '2' });
    await kubectl('-n', ns, 'delete', 'configmap', 'c2');
    await waitFor('DELETED', async () => events.find((e) => e.type === 'DELETED' && e.ref.name === 'c2'));
    expect(cache.get(cmRef('c2'))).toEqual({ synced: true });
    // Removing Sluice's label takes an object out of the cache.
    await kubectl('-n', ns, 'label', 'configmap', 'tracked', 'app.sluice.dev/name-');
    await waitFor(
      'unlabelled',
      async () =>
        !cache.get(cmRef('tracked')).synced || !('object' in cache.get(cmRef('tracked'))) || undefined,
    );
    expect(cache.get(cmRef('tracked'))).toEqual({ synced: true });
    await kubectl('-n', ns, 'label', 'configmap', 'tracked', 'app.sluice.dev/name=web');
    await waitFor('labelled again', async () => {
      const l = cache.get(cmRef('tracked'));
      return l.synced && l.object !== undefined;
    });
  });

  it('observes a write at once, and never goes back to an older version', async () => {
    const written = await objects.patch(
      { ...configMap(ns, 'tracked', { a: 'observed' }, tracked('repo', 'web')) },
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
    cache.observe(written);
    const now = cache.get(cmRef('tracked'));
    expect(now.synced && (now.object as { data?: unknown }).data).toEqual({ a: 'observed' });
    expect(now.synced && now.object?.metadata?.resourceVersion).toBe(written.metadata?.resourceVersion);
    const older = { ...written, metadata: { ...written.metadata, resourceVersion: '1' }, data: { a: 'old' } };
    cache.observe(older);
    const still = cache.get(cmRef('tracked'));
    expect(still.synced && (still.object as { data?: unknown }).data).toEqual({ a: 'observed' });
  });

  it('a restarted cache watches the remembered kinds at start', async () => {
    const again = new LiveCache({ kubeConfig: kc, objects, cluster: 'dev', stateDir, log });
    try {
      again.start();
      await waitFor('remembered kinds synced', async () => {
        const l = again.get(cmRef('tracked'));
        return l.synced && l.object !== undefined;
      });
      expect(again.watchedKinds().sort()).toEqual(['ConfigMap', 'Namespace', 'apps/Deployment']);
    } finally {
      await again.stop();
    }
    expect(again.get(cmRef('tracked'))).toEqual({ synced: false });
  });

  describe('the application router', () => {
    const notices: { id: string; notice: LiveChangeNotice; at: number }[] = [];
    const depRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' };
    let stopRouter: () => void;
    const settled = async () => {
      await waitFor(
        'deployment rolled out',
        async () => {
          const l = cache.get(depRef);
          const o = l.synced
            ? (l.object as { metadata: { generation?: number }; status?: Record<string, number> })
            : undefined;
          const s = o?.status;
          return (
            s?.observedGeneration === o?.metadata.generation &&
            s?.availableReplicas === 1 &&
            s?.updatedReplicas === 1 &&
            s?.replicas === 1
          );
        },
        60_000,
      );
      await new Promise((r) => setTimeout(r, 2_500)); // let a debounced notice of the rollout go out
      notices.length = 0;
    };
    beforeAll(async () => {
      stopRouter = startAppNotifier(cache, {
        cluster: 'dev',
        log,
        notify: async (id, notice) => {
          notices.push({ id, notice, at: Date.now() });
        },
      });
      await settled();
    });
    afterAll(() => stopRouter());

    it('tells the owning application about a kubectl patch of its spec within 2 s, debounced', async () => {
      // From a settled Deployment: its first rollout finishing would be a (true) health notice of its own.
      await settled();
      notices.length = 0;
      const started = Date.now();
      await kubectl('-n', ns, 'patch', 'deployment', 'web', '-p', '{"spec":{"revisionHistoryLimit":4}}');
      await waitFor('notice', async () => notices.length > 0, 5_000);
      expect(notices[0]?.id).toBe('app/repo/web');
      expect(notices[0]?.notice.refs).toEqual([`apps/Deployment ${ns}/web`]);
      expect((notices[0]?.at ?? 0) - started).toBeLessThan(2_000);
      await new Promise((r) => setTimeout(r, 3_000));
      // Debounced: one notice for the edit; at most one more when the controller's rollout of the new generation
      // settles (seen in about 1 run in 3 on the shared stack; the application coalesces them into one check).
      expect(notices.length).toBeGreaterThanOrEqual(1);
      expect(notices.length).toBeLessThanOrEqual(2);
      expect(notices.every((n) => n.id === 'app/repo/web')).toBe(true);
    });

    it('stays quiet for a status-only change and for Sluice’s own write', async () => {
      await settled();
      const before = events.length;
      // Status only: a condition nobody reads; health stays Healthy.
      await kubectl(
        '-n',
        ns,
        'patch',
        'deployment',
        'web',
        '--subresource=status',
        '--type=strategic',
        '-p',
        '{"status":{"conditions":[{"type":"SluiceTest","status":"True","reason":"Test","message":"noise"}]}}',
      );
      // Sluice's own write (its field manager): only an annotation changes.
      const own = deployment(ns, 'web', tracked('repo', 'web'));
      own.metadata = {
        ...own.metadata,
        annotations: { ...own.metadata?.annotations, 'sluice.dev/applied-hash': 'x' },
      };
      await objects.patch(own, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
      await waitFor('both writes seen', async () => events.length >= before + 2, 5_000);
      await new Promise((r) => setTimeout(r, 2_500));
      expect(notices).toEqual([]);
    });
  });
});
