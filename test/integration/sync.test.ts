import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_LABEL, TRACKING_ANNOTATION } from '../../activities/sync/annotations.js';
import {
  applicationStatusQuery,
  applicationUpdateSignal,
  historyQuery,
  refreshSignal,
  rollbackUpdate,
} from '../../workflows/application/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { startApp, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { orMissing, testKube } from './helpers/kube.js';
import { configMapYaml, deploymentYaml, serviceYaml } from './helpers/manifests.js';
import { startTestWorker } from './helpers/test-worker.js';

describe('sync engine: directory app with automated sync, prune and self-heal', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const ns = `sync-${suffix}`;
  const repo = servedRepo('sync');
  const kube = testKube();
  let app: Awaited<ReturnType<typeof startApp>>;
  const shas: string[] = [];

  beforeAll(async () => {
    w = await startTestWorker('sync');
    shas.push(
      repo.commit({
        'web/deployment.yaml': deploymentYaml('web'),
        'web/service.yaml': serviceYaml('web'),
        'web/config.yaml': configMapYaml('web-config', { color: 'blue' }),
      }),
    );
    app = await startApp(w.client, w.taskQueue, {
      name: `web-${suffix}`,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path: 'web', render: { plugin: 'directory' } },
        destination: { namespace: ns },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      },
    });
  });
  afterAll(async () => {
    await app?.terminate('test done').catch(() => {});
    await w.stop();
  });

  it('syncs a new application to Healthy, every object labelled with its owner', async () => {
    const s = await waitForStatus(
      app,
      'first sync',
      (s) => s.syncedRevision === shas[0] && s.health === 'Healthy',
    );
    expect(s.lastSync).toMatchObject({ id: 1, phase: 'Succeeded', revision: shas[0] });
    expect(s.lastSync?.changed.sort()).toEqual([
      `ConfigMap ${ns}/web-config`,
      `Service ${ns}/web`,
      `apps/Deployment ${ns}/web`,
    ]);
    const d = await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web' });
    expect(d.status?.readyReplicas).toBe(2);
    expect(d.metadata?.labels?.[APP_LABEL]).toBe(`web-${suffix}`);
    expect(d.metadata?.annotations?.[TRACKING_ANNOTATION]).toBe(`test/web-${suffix}`);
  });

  it('a commit changing one field re-applies only that object', async () => {
    const before = await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web' });
    shas.push(repo.commit({ 'web/config.yaml': configMapYaml('web-config', { color: 'green' }) }));
    await app.signal(refreshSignal);
    const s = await waitForStatus(app, 'second sync', (s) => s.syncedRevision === shas[1]);
    expect(s.lastSync?.changed).toEqual([`ConfigMap ${ns}/web-config`]);
    expect((await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-config' })).data).toEqual({
      color: 'green',
    });
    const after = await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web' });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it('prunes a manifest removed from Git', async () => {
    shas.push(repo.commit({ 'web/service.yaml': null }));
    await app.signal(refreshSignal);
    const s = await waitForStatus(app, 'prune sync', (s) => s.syncedRevision === shas[2]);
    expect(s.lastSync?.pruned).toEqual([`Service ${ns}/web`]);
    // Foreground deletion (the default PrunePropagationPolicy): gone once the garbage collector is done.
    await waitFor(
      'the Service to be gone',
      async () => !(await orMissing(kube.core.readNamespacedService({ namespace: ns, name: 'web' }))),
    );
  });

  it('heals drift made behind its back (as kubectl edit would)', async () => {
    await kube.core.patchNamespacedConfigMap({
      namespace: ns,
      name: 'web-config',
      body: [{ op: 'replace', path: '/data/color', value: 'red' }],
    });
    const before = (await app.query(historyQuery)).length;
    await app.signal(refreshSignal);
    const s = await waitForStatus(
      app,
      'a healing sync',
      (s) => (s.lastSync?.id ?? 0) > before && s.phase !== 'Syncing',
      30_000,
    );
    expect(s.lastSync).toMatchObject({
      revision: shas[2],
      phase: 'Succeeded',
      changed: [`ConfigMap ${ns}/web-config`],
    });
    expect((await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-config' })).data).toEqual({
      color: 'green',
    });
  });

  it('rolls back to an earlier history entry with auto-sync on, and stays there until a new commit', async () => {
    const result = await app.executeUpdate(rollbackUpdate, { args: [{ id: 1 }] });
    expect(result).toMatchObject({ phase: 'Succeeded', revision: shas[0] });
    expect((await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-config' })).data).toEqual({
      color: 'blue',
    });
    expect(await kube.core.readNamespacedService({ namespace: ns, name: 'web' })).toBeDefined();
    // Auto-sync does not undo it on the next refreshes…
    await app.signal(refreshSignal);
    await new Promise((r) => setTimeout(r, 3000));
    const held = await app.query(historyQuery);
    expect(held.at(-1)?.revision).toBe(shas[0]);
    // …but a new commit is synced again.
    shas.push(repo.commit({ 'web/config.yaml': configMapYaml('web-config', { color: 'purple' }) }));
    await app.signal(refreshSignal);
    await waitForStatus(app, 'sync after the hold', (s) => s.syncedRevision === shas[3]);
    expect((await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-config' })).data).toEqual({
      color: 'purple',
    });
  });

  it('every sync is findable in Temporal visibility by application, not only the recent ones in state', async () => {
    const history = await app.query(historyQuery);
    const found = await waitFor('visibility to catch up', async () => {
      const ids: string[] = [];
      for await (const wf of w.client.workflow.list({
        query: `SluiceApp = "web-${suffix}" AND SluiceKind = "sync"`,
      }))
        ids.push(wf.workflowId);
      return ids.length === history.length && ids;
    });
    expect(found.sort()).toEqual(
      history.map((h) => `sync/test/web-${suffix}/${h.revision.slice(0, 7)}-${h.id}`).sort(),
    );
  });

  it('a changed spec at the same commit (from the watcher) is synced too', async () => {
    const status = await app.query(applicationStatusQuery);
    const before = status.lastSync?.id ?? 0;
    await app.signal(applicationUpdateSignal, {
      repoId: 'test',
      name: `web-${suffix}`,
      project: 'default',
      revision: 'test-2',
      source: 'test',
      spec: {
        source: {
          repoURL: repo.url,
          targetRevision: 'main',
          path: 'web',
          render: { plugin: 'directory', include: 'config.yaml' },
        },
        destination: { namespace: ns },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      },
    });
    const s = await waitForStatus(
      app,
      'a sync for the new spec',
      (s) => (s.lastSync?.id ?? 0) > before && s.phase !== 'Syncing',
      30_000,
    );
    expect(s.lastSync).toMatchObject({
      revision: status.syncedRevision,
      phase: 'Succeeded',
      pruned: [`apps/Deployment ${ns}/web`],
    });
  });

  it('refuses a rollback to an unknown id before running anything', async () => {
    const before = (await app.query(historyQuery)).length;
    const err = await app.executeUpdate(rollbackUpdate, { args: [{ id: 999 }] }).catch((e: Error) => e);
    expect(((err as Error).cause as Error | undefined)?.message).toMatch(
      /^no successful sync with id 999 in the recent history \(ids: 1, 2, /,
    );
    expect((await app.query(historyQuery)).length).toBe(before);
  });
});
