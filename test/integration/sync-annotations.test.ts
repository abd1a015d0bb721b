import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshSignal, syncUpdate } from '../../workflows/application/messages.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { orMissing, testKube } from './helpers/kube.js';
import { watchAdds } from './helpers/live-objects.js';
import { configMapYaml, deploymentYaml, jobYaml } from './helpers/manifests.js';
import { childWorkflowIds, recordHistory } from './helpers/record-history.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

describe('annotations from Argo CD, Helm and Flux repositories', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const repo = servedRepo('annotations');
  const kube = testKube();
  const started: { terminate: (r: string) => Promise<unknown> }[] = [];

  const app = async (
    name: string,
    path: string,
    render: Record<string, unknown> = { plugin: 'directory' },
  ) => {
    const handle = await startApp(w.client, w.taskQueue, {
      name: `${name}-${suffix}`,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path, render },
        destination: { namespace: `${name}-${suffix}` },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    });
    started.push(handle);
    await waitForStatus(handle, 'the source revision', (s) => s.sourceRevision !== undefined);
    return handle;
  };
  const configMap = (ns: string, name: string) =>
    orMissing(kube.core.readNamespacedConfigMap({ namespace: ns, name }));

  beforeAll(async () => {
    w = await startTestWorker('annotations', {
      trust: { ...openTestTrust, repositories: [{ id: TEST_REPO, url: repo.url, projects: ['default'] }] },
    });
    repo.commit({
      'argo/pre.yaml': jobYaml('pre-migrate', {
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
      }),
      'argo/early.yaml': configMapYaml('early', { wave: '-1' }, { 'argocd.argoproj.io/sync-wave': '-1' }),
      'argo/web.yaml': deploymentYaml('web', { replicas: 1 }),
      'argo/web-config.yaml': configMapYaml('web-config', { wave: '0' }),
      'argo/late.yaml': configMapYaml('late', { wave: '1' }, { 'argocd.argoproj.io/sync-wave': '1' }),
      'argo/post.yaml': jobYaml('post-notify', { 'argocd.argoproj.io/hook': 'PostSync' }),
      'argo/skipped.yaml': configMapYaml('skipped', { a: 'b' }, { 'argocd.argoproj.io/hook': 'Skip' }),
      'argo/kept.yaml': configMapYaml(
        'kept',
        { a: 'b' },
        { 'argocd.argoproj.io/sync-options': 'Prune=false' },
      ),
      'chart/Chart.yaml': 'apiVersion: v2\nname: hooked\nversion: 0.1.0\n',
      'chart/templates/config.yaml': configMapYaml('chart-config', { a: 'b' }),
      'chart/templates/pre-install.yaml': jobYaml('chart-migrate', {
        'helm.sh/hook': 'pre-install,pre-upgrade',
        'helm.sh/hook-weight': '-5',
        'helm.sh/hook-delete-policy': 'hook-succeeded',
      }),
      'chart/templates/post-install.yaml': configMapYaml(
        'chart-done',
        { a: 'b' },
        { 'helm.sh/hook': 'post-install' },
      ),
      'chart/templates/tests/test.yaml': jobYaml('chart-test', { 'helm.sh/hook': 'test' }),
      'flux/keep.yaml': configMapYaml(
        'flux-keep',
        { a: 'b' },
        { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
      ),
      'flux/once.yaml': configMapYaml(
        'once',
        { from: 'git' },
        { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' },
      ),
      'victim/target.yaml': configMapYaml('target', { owner: 'victim' }),
      'attack/hook.yaml': configMapYaml(
        'target',
        { owner: 'attacker' },
        { 'argocd.argoproj.io/hook': 'PreSync' },
      ),
    });
  });
  afterAll(async () => {
    for (const h of started) await h.terminate('test done').catch(() => {});
    await w.stop();
  });

  it('an Argo CD repository syncs in the order Argo CD defines: phase, wave, kind, name', async () => {
    const name = `argo-${suffix}`;
    const h = await app('argo', 'argo');
    const creations = await watchAdds(name);
    const result = await h.executeUpdate(syncUpdate, { args: [{}] });
    // The watch delivers events a moment after the writes.
    await new Promise((r) => setTimeout(r, 1000));
    creations.stop();
    expect(result.phase, result.message).toBe('Succeeded');
    // Argo CD's order, as its docs define it: phase, wave, kind, name. Sluice applies the objects of one kind in
    // parallel, so objects that tie on phase, wave and kind (kept, web-config) may be created in either order.
    const argoOrder = [
      ['Job/pre-migrate'], // PreSync
      ['ConfigMap/early'], // wave -1
      ['ConfigMap/kept', 'ConfigMap/web-config'], // wave 0, ConfigMaps before the Deployment
      ['Deployment/web'],
      ['ConfigMap/late'], // wave 1
      ['Job/post-notify'], // PostSync
    ];
    const rank = (key: string) => argoOrder.findIndex((group) => group.includes(key));
    const observed = creations.order();
    expect([...observed].sort()).toEqual(argoOrder.flat().sort());
    expect(observed.map(rank)).toEqual([...observed.map(rank)].sort((a, b) => a - b));

    const ns = name;
    // Skip: never applied. HookSucceeded: deleted once it completed. No policy (BeforeHookCreation): left after it ran.
    expect(await configMap(ns, 'skipped')).toBeUndefined();
    expect(
      await orMissing(kube.batch.readNamespacedJob({ namespace: ns, name: 'pre-migrate' })),
    ).toBeUndefined();
    const post = await kube.batch.readNamespacedJob({ namespace: ns, name: 'post-notify' });
    expect(post.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');

    // Prune=false keeps an object when it leaves Git; an ordinary one is pruned.
    const revision = repo.commit({ 'argo/kept.yaml': null, 'argo/late.yaml': null });
    const second = await h.executeUpdate(syncUpdate, { args: [{ revision, prune: true }] });
    expect(second.revision).toBe(revision);
    expect(second.phase, second.message).toBe('Succeeded');
    expect(second.pruned).toEqual([`ConfigMap ${ns}/late`]);
    expect(await configMap(ns, 'kept')).toBeDefined();
    expect(await configMap(ns, 'late')).toBeUndefined();
    // BeforeHookCreation: the PostSync Job of the first sync was deleted and created again.
    const again = await kube.batch.readNamespacedJob({ namespace: ns, name: 'post-notify' });
    expect(again.metadata?.uid).not.toBe(post.metadata?.uid);
  });

  it('Helm hooks become hooks: pre-install runs first and is deleted on success, test hooks are not applied', async () => {
    const name = `helm-${suffix}`;
    const h = await app('helm', 'chart', { plugin: 'helm', releaseName: 'hooked' });
    const creations = await watchAdds(name);
    const result = await h.executeUpdate(syncUpdate, { args: [{}] });
    await new Promise((r) => setTimeout(r, 1000));
    creations.stop();
    expect(result.phase, result.message).toBe('Succeeded');
    expect(creations.order()).toEqual([
      'Job/chart-migrate',
      'ConfigMap/chart-config',
      'ConfigMap/chart-done',
    ]);
    expect(
      await orMissing(kube.batch.readNamespacedJob({ namespace: name, name: 'chart-migrate' })),
    ).toBeUndefined();
    expect(
      await orMissing(kube.batch.readNamespacedJob({ namespace: name, name: 'chart-test' })),
    ).toBeUndefined();
    // A hook is not part of what the application owns: it is never pruned as an ordinary object.
    expect(result.inventory.map((r) => r.name)).toEqual(['chart-config']);
    // For the replay test: a sync whose hooks ran under their delete policies (patch hook-delete-policies).
    const syncs = (await childWorkflowIds(w.client, h.workflowId)).filter((id) => id.startsWith('sync/'));
    await recordHistory(w.client, syncs.at(-1) ?? 'no sync recorded', 'sync-helm-hooks-with-delete-policies');
  });

  it('Flux: prune disabled is never pruned, ssa IfNotPresent is created once and never overwritten', async () => {
    const ns = `flux-${suffix}`;
    const h = await app('flux', 'flux');
    expect((await h.executeUpdate(syncUpdate, { args: [{}] })).phase).toBe('Succeeded');
    // Someone fills the object in by hand; Git changes it too; the sync leaves the live one alone.
    await kube.core.patchNamespacedConfigMap({
      namespace: ns,
      name: 'once',
      body: [{ op: 'replace', path: '/data/from', value: 'hand' }],
    });
    const revision = repo.commit({
      'flux/once.yaml': configMapYaml(
        'once',
        { from: 'git v2' },
        { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' },
      ),
      'flux/keep.yaml': null,
    });
    const second = await h.executeUpdate(syncUpdate, { args: [{ revision, prune: true }] });
    expect(second).toMatchObject({ phase: 'Succeeded', revision });
    expect((await configMap(ns, 'once'))?.data).toEqual({ from: 'hand' });
    expect(second.pruned).toEqual([]);
    expect(await configMap(ns, 'flux-keep')).toBeDefined();
    // The hand-filled object differs from Git and that is what IfNotPresent means: the live check calls it
    // Synced (else self-heal would sync it forever).
    await h.signal(refreshSignal);
    const checked = await waitForStatus(h, 'a live check after the sync', (s) =>
      Boolean(s.resources?.some((r) => r.ref.name === 'once')),
    );
    expect(checked.resources?.find((r) => r.ref.name === 'once')?.sync).toBe('Synced');
    expect(checked.syncStatus).toBe('Synced');
  });

  it("attack: a BeforeHookCreation hook named like another application's object does not delete it", async () => {
    const victim = await app('victim', 'victim');
    expect((await victim.executeUpdate(syncUpdate, { args: [{}] })).phase).toBe('Succeeded');
    const ns = `victim-${suffix}`;
    const before = await configMap(ns, 'target');
    const attacker = await startApp(w.client, w.taskQueue, {
      name: `attacker-${suffix}`,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: {
          repoURL: repo.url,
          targetRevision: 'main',
          path: 'attack',
          render: { plugin: 'directory' },
        },
        destination: { namespace: ns },
      },
    });
    started.push(attacker);
    await waitForStatus(attacker, 'the source revision', (s) => s.sourceRevision !== undefined);
    const result = await attacker.executeUpdate(syncUpdate, { args: [{}] });
    expect(result.phase).toBe('Failed');
    expect(result.message).toContain(
      `ConfigMap ${ns}/target is tracked by application test/victim-${suffix}`,
    );
    const after = await configMap(ns, 'target');
    expect(after?.metadata?.uid).toBe(before?.metadata?.uid);
    expect(after?.data).toEqual({ owner: 'victim' });
  });
});
