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
// Runs once at the ConfigMap watch's next restart: between the end of one stream and the start of the next, so
// a resourceVersion set here is the one the next watch asks for (no event of the old stream can overwrite it).
let atNextConfigMapRestart: (() => void) | undefined;
const log = (level: string, msg: string, fields?: Record<string, unknown>) => {
  logs.push({ level, msg, fields });
  if (msg === 'live watch restarting' && fields?.kind === 'ConfigMap' && atNextConfigMapRestart) {
    atNextConfigMapRestart();
    atNextConfigMapRestart = undefined;
  }
};

/**
 * Makes the ConfigMap watch's next stream ask for resourceVersion "1" (older than the API server's watch cache, which
 * answers 410 Gone) and waits for that 410. The current stream is aborted, again every half second until the 410
 * came: an abort that lands between two streams (no request in flight yet) has nothing to end.
 */
async function forceGone(watch: { resourceVersion: string; stream?: AbortController }): Promise<void> {
  const gone = () => logs.filter((l) => l.fields?.kind === 'ConfigMap' && l.fields?.reason === 'gone').length;
  const before = gone();
  atNextConfigMapRestart = () => {
    watch.resourceVersion = '1';
  };
  await waitFor(
    'a 410 Gone for the ConfigMap watch',
    async () => {
      if (gone() > before) return true;
      if (!atNextConfigMapRestart) watch.resourceVersion = '1'; // a restart came but no 410 yet: ask again
      watch.stream?.abort();
      return false;
    },
    20_000,
    500,
  );
}

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

  it('relists on 410 Gone and reports what changed while it was not watching', async () => {
    // A real 410: resume the ConfigMap watch from resourceVersion "1", older than anything in the API server's
    // watch cache (it answers an ERROR event with code 410). The changes below land while its stream is down, so only the relist can see them.
    const watch = (
      cache as unknown as { watches: Map<string, { resourceVersion: string; stream?: AbortController }> }
    ).watches.get('ConfigMap');
    if (!watch) throw new Error('no ConfigMap watch');
    restarts.length = 0;
    events.length = 0;
    const relisted = forceGone(watch);
    await Promise.all([
      create(configMap(ns, 'c3', { a: '1' }, tracked('repo', 'web'))),
      kubectl('-n', ns, 'patch', 'configmap', 'tracked', '-p', '{"data":{"a":"meanwhile"}}'),
    ]);
    await relisted;
    await waitFor('c3 added', async () => events.find((e) => e.type === 'ADDED' && e.ref.name === 'c3'));
    await waitFor('tracked modified', async () => {
      const l = cache.get(cmRef('tracked'));
      return l.synced && (l.object as { data?: { a?: string } }).data?.a === 'meanwhile';
    });
    // And the watch runs again afterwards.
    await kubectl('-n', ns, 'delete', 'configmap', 'c3');
    await waitFor('c3 deleted', async () => events.find((e) => e.type === 'DELETED' && e.ref.name === 'c3'));
    expect(logs.some((l) => l.msg === 'live watch restarting' && l.fields?.reason === 'gone')).toBe(true);
  });

  it('emits DELETED for an object that vanished between two lists', async () => {
    const watch = (
      cache as unknown as { watches: Map<string, { resourceVersion: string; stream?: AbortController }> }
    ).watches.get('ConfigMap');
    if (!watch) throw new Error('no ConfigMap watch');
    // An object the cache believes in but the cluster never had: the next relist must drop it.
    cache.observe({
      ...configMap(ns, 'ghost', {}, tracked('repo', 'web')),
      metadata: { namespace: ns, name: 'ghost', resourceVersion: '2', ...tracked('repo', 'web') },
    });
    expect(cache.get(cmRef('ghost')).synced && 'object' in cache.get(cmRef('ghost'))).toBe(true);
    events.length = 0;
    await forceGone(watch);
    await waitFor(
      'ghost deleted',
      async () => events.find((e) => e.type === 'DELETED' && e.ref.name === 'ghost'),
      20_000,
    );
    expect(cache.get(cmRef('ghost'))).toEqual({ synced: true });
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

    it('tells the owning application exactly once about a kubectl patch of its spec, within 2 s', async () => {
      const started = Date.now();
      await kubectl('-n', ns, 'patch', 'deployment', 'web', '-p', '{"spec":{"revisionHistoryLimit":4}}');
      await waitFor('notice', async () => notices.length > 0, 5_000);
      expect(notices[0]?.id).toBe('app/repo/web');
      expect(notices[0]?.notice.refs).toEqual([`apps/Deployment ${ns}/web`]);
      expect((notices[0]?.at ?? 0) - started).toBeLessThan(2_000);
      await new Promise((r) => setTimeout(r, 3_000));
      expect(notices).toHaveLength(1);
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
