import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncPolicy } from '../../schemas/types.generated.js';
import { applicationStopSignal, syncUpdate } from '../../workflows/application/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { orMissing, testKube } from './helpers/kube.js';
import { watchAdds } from './helpers/live-objects.js';
import { configMapYaml, jobYaml } from './helpers/manifests.js';
import { childWorkflowIds, recordHistory } from './helpers/record-history.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

describe('annotations on the live cluster: hook policies, Replace/Force, ssa Ignore, removal', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const repo = servedRepo('annotations-live');
  const kube = testKube();
  const started: { terminate: (r: string) => Promise<unknown> }[] = [];

  const app = async (name: string, path: string, syncPolicy: Omit<SyncPolicy, 'syncOptions'> = {}) => {
    const handle = await startApp(w.client, w.taskQueue, {
      name: `${name}-${suffix}`,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path, render: { plugin: 'directory' } },
        destination: { namespace: `${name}-${suffix}` },
        syncPolicy: { syncOptions: ['CreateNamespace=true'], ...syncPolicy },
      },
    });
    started.push(handle);
    await waitForStatus(handle, 'the source revision', (s) => s.sourceRevision !== undefined);
    return handle;
  };
  const configMap = (ns: string, name: string) =>
    orMissing(kube.core.readNamespacedConfigMap({ namespace: ns, name }));
  const job = (ns: string, name: string) => orMissing(kube.batch.readNamespacedJob({ namespace: ns, name }));

  beforeAll(async () => {
    w = await startTestWorker('annotations-live', {
      trust: { ...openTestTrust, repositories: [{ id: TEST_REPO, url: repo.url, projects: ['default'] }] },
    });
    repo.commit({
      'failed/pre.yaml': jobYaml(
        'migrate',
        { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookFailed' },
        { fail: true },
      ),
      'failed/on-fail.yaml': configMapYaml(
        'sync-failed',
        { ran: 'yes' },
        { 'argocd.argoproj.io/hook': 'SyncFail' },
      ),
      'failed/app.yaml': configMapYaml('never', { applied: 'no' }),
      'once/post.yaml': jobYaml('notify', {
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': 'HookFailed',
      }),
      'once/app.yaml': configMapYaml('app', { v: '1' }),
      'replace/replaced.yaml': configMapYaml(
        'replaced',
        { a: '1', b: '1' },
        { 'argocd.argoproj.io/sync-options': 'Replace=true' },
      ),
      'replace/applied.yaml': configMapYaml('applied', { a: '1', b: '1' }),
      'replace/forced.yaml': configMapYaml(
        'forced',
        { a: '1' },
        { 'argocd.argoproj.io/sync-options': 'Replace=true,Force=true' },
      ),
      'ignore/ignored.yaml': configMapYaml(
        'ignored',
        { a: 'git' },
        { 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' },
      ),
      'ignore/live-ignored.yaml': configMapYaml('live-ignored', { a: 'git' }),
      'phases/both.yaml': jobYaml('both', { 'argocd.argoproj.io/hook': 'PreSync,PostSync' }),
      'phases/helm-both.yaml': jobYaml('helm-both', {
        'helm.sh/hook': 'pre-install,post-install',
        'helm.sh/hook-delete-policy': 'hook-succeeded',
      }),
      'phases/app.yaml': configMapYaml('app', { a: 'b' }),
      'removal/plain.yaml': configMapYaml('plain', { a: 'b' }),
      'removal/delete-false.yaml': configMapYaml(
        'delete-false',
        { a: 'b' },
        { 'argocd.argoproj.io/sync-options': 'Delete=false' },
      ),
      'removal/delete-confirm.yaml': configMapYaml(
        'delete-confirm',
        { a: 'b' },
        { 'argocd.argoproj.io/sync-options': 'Delete=confirm' },
      ),
      'removal/prune-false.yaml': configMapYaml(
        'prune-false',
        { a: 'b' },
        { 'argocd.argoproj.io/sync-options': 'Prune=false' },
      ),
      'removal/prune-confirm.yaml': configMapYaml(
        'prune-confirm',
        { a: 'b' },
        { 'argocd.argoproj.io/sync-options': 'Prune=confirm' },
      ),
      'removal/flux-disabled.yaml': configMapYaml(
        'flux-disabled',
        { a: 'b' },
        { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
      ),
    });
  });
  afterAll(async () => {
    for (const h of started) await h.terminate('test done').catch(() => {});
    await w.stop();
  });

  it('HookFailed: a failed PreSync hook is deleted, the sync fails and the SyncFail hook runs', async () => {
    const ns = `failed-${suffix}`;
    const h = await app('failed', 'failed');
    const result = await h.executeUpdate(syncUpdate, { args: [{}] });
    expect(result.phase).toBe('Failed');
    expect(result.message).toMatch(new RegExp(`^PreSync hook failed: batch/Job ${ns}/migrate: Degraded`));
    // Deleted with Background propagation: the Job goes at once, its pods after it.
    await waitFor(
      'the failed hook to be deleted',
      async () => (await job(ns, 'migrate')) === undefined,
      30_000,
    );
    expect((await configMap(ns, 'sync-failed'))?.data).toEqual({ ran: 'yes' });
    expect(await configMap(ns, 'never')).toBeUndefined();
  });

  it('a hook without BeforeHookCreation is created once and left as it ran by the next sync', async () => {
    const ns = `once-${suffix}`;
    const h = await app('once', 'once');
    const first = await h.executeUpdate(syncUpdate, { args: [{}] });
    expect(first.phase, first.message).toBe('Succeeded');
    const ran = await job(ns, 'notify');
    expect(ran?.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');
    // A new commit: the ordinary object changes, the hook (HookFailed only, and it succeeded) is not created again.
    const revision = repo.commit({ 'once/app.yaml': configMapYaml('app', { v: '2' }) });
    const second = await h.executeUpdate(syncUpdate, { args: [{ revision }] });
    expect(second).toMatchObject({ phase: 'Succeeded', revision });
    expect(second.changed).toEqual([`ConfigMap ${ns}/app`]);
    expect((await job(ns, 'notify'))?.metadata?.uid).toBe(ran?.metadata?.uid);
  });

  it('Replace=true writes the whole object (PUT); Force=true with it deletes and creates it again', async () => {
    const ns = `replace-${suffix}`;
    const h = await app('replace', 'replace');
    expect((await h.executeUpdate(syncUpdate, { args: [{}] })).phase).toBe('Succeeded');
    const before = {
      replaced: await configMap(ns, 'replaced'),
      forced: await configMap(ns, 'forced'),
    };
    // Another manager takes field b over and adds c, on the replaced object and on an ordinary one.
    for (const name of ['replaced', 'applied'])
      await kube.core.patchNamespacedConfigMap({
        namespace: ns,
        name,
        fieldManager: 'by-hand',
        body: [
          { op: 'replace', path: '/data/b', value: 'hand' },
          { op: 'add', path: '/data/c', value: 'hand' },
        ],
      });
    // Git drops b and changes a on both, and changes the forced object.
    const revision = repo.commit({
      'replace/replaced.yaml': configMapYaml(
        'replaced',
        { a: '2' },
        { 'argocd.argoproj.io/sync-options': 'Replace=true' },
      ),
      'replace/applied.yaml': configMapYaml('applied', { a: '2' }),
      'replace/forced.yaml': configMapYaml(
        'forced',
        { a: '2' },
        { 'argocd.argoproj.io/sync-options': 'Replace=true,Force=true' },
      ),
    });
    const second = await h.executeUpdate(syncUpdate, { args: [{ revision }] });
    expect(second).toMatchObject({ phase: 'Succeeded', revision });
    // A PUT is the whole object: what another manager set is gone, as is what Git dropped.
    const replaced = await configMap(ns, 'replaced');
    expect(replaced?.data).toEqual({ a: '2' });
    expect(replaced?.metadata?.uid).toBe(before.replaced?.metadata?.uid);
    // Server-side apply (the control): the fields another manager owns stay.
    expect((await configMap(ns, 'applied'))?.data).toEqual({ a: '2', b: 'hand', c: 'hand' });
    const forced = await configMap(ns, 'forced');
    expect(forced?.data).toEqual({ a: '2' });
    expect(forced?.metadata?.uid).not.toBe(before.forced?.metadata?.uid);
    // Unchanged in Git and live: the next sync writes nothing, so the forced object keeps its uid.
    const third = await h.executeUpdate(syncUpdate, { args: [{ revision }] });
    expect(third).toMatchObject({ phase: 'Succeeded', changed: [] });
    expect((await configMap(ns, 'forced'))?.metadata?.uid).toBe(forced?.metadata?.uid);
  });

  it('Flux ssa Ignore: never written, whether the annotation is in Git (even when absent) or on the live object', async () => {
    const ns = `ignore-${suffix}`;
    const h = await app('ignore', 'ignore');
    const first = await h.executeUpdate(syncUpdate, { args: [{}] });
    expect(first.phase, first.message).toBe('Succeeded');
    expect(await configMap(ns, 'ignored')).toBeUndefined();
    // Never written, so not the application's: not awaited (absent, it would read Missing forever), not owned.
    expect(first.inventory.map((r) => r.name)).toEqual(['live-ignored']);
    // Someone marks the live object Ignore and edits it; Git changes it too; the sync leaves it as it is.
    await kube.core.patchNamespacedConfigMap({
      namespace: ns,
      name: 'live-ignored',
      body: [
        { op: 'add', path: '/metadata/annotations/kustomize.toolkit.fluxcd.io~1ssa', value: 'Ignore' },
        { op: 'replace', path: '/data/a', value: 'hand' },
      ],
    });
    const revision = repo.commit({
      'ignore/live-ignored.yaml': configMapYaml('live-ignored', { a: 'git v2' }),
      'ignore/ignored.yaml': configMapYaml(
        'ignored',
        { a: 'git v2' },
        { 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' },
      ),
    });
    const second = await h.executeUpdate(syncUpdate, { args: [{ revision }] });
    expect(second).toMatchObject({ phase: 'Succeeded', revision, changed: [] });
    expect((await configMap(ns, 'live-ignored'))?.data).toEqual({ a: 'hand' });
    expect(await configMap(ns, 'ignored')).toBeUndefined();
    // For the replay test: a sync with an ssa Ignore object in Git (patch ssa-ignore-not-owned).
    const syncs = (await childWorkflowIds(w.client, h.workflowId)).filter((id) => id.startsWith('sync/'));
    await recordHistory(w.client, syncs.at(-1) ?? 'no sync recorded', 'sync-with-ssa-ignore-object');
  });

  it('a hook named for two phases runs in each: created before the objects and again after them', async () => {
    const ns = `phases-${suffix}`;
    const h = await app('phases', 'phases');
    const adds = await watchAdds(ns);
    const result = await h.executeUpdate(syncUpdate, { args: [{}] });
    await new Promise((r) => setTimeout(r, 1000)); // the watch delivers events a moment after the writes
    adds.stop();
    expect(result.phase, result.message).toBe('Succeeded');
    // PreSync: both hooks (in parallel, same kind); the ordinary object; PostSync: both created again, one
    // deleted first by BeforeHookCreation, the other already deleted by hook-succeeded after PreSync.
    const order = adds.order();
    expect(order.slice(0, 2).sort()).toEqual(['Job/both', 'Job/helm-both']);
    expect(order[2]).toBe('ConfigMap/app');
    expect(order.slice(3).sort()).toEqual(['Job/both', 'Job/helm-both']);
    expect((await job(ns, 'both'))?.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe(
      'True',
    );
    expect(await job(ns, 'helm-both')).toBeUndefined();
    expect(result.inventory.map((r) => r.name)).toEqual(['app']);
  });

  it('removal with prune on deletes the objects, except Delete=false, Delete=confirm and Flux prune: disabled', async () => {
    const ns = `removal-${suffix}`;
    const h = await app('removal', 'removal', { automated: { prune: true } });
    await waitForStatus(h, 'the automated sync', (s) => s.syncedRevision !== undefined, 90_000);
    expect(await configMap(ns, 'plain')).toBeDefined();
    await h.signal(applicationStopSignal, { reason: 'removed from Git' });
    const final = await h.result();
    expect(final.removal?.mode).toBe('deleted');
    // Argo CD deletes Prune=false and Prune=confirm objects with their Application; only Delete=… keeps one.
    expect([...(final.removal?.deleted ?? [])].sort()).toEqual(
      ['plain', 'prune-confirm', 'prune-false'].map((n) => `ConfigMap ${ns}/${n}`),
    );
    expect(final.removal?.kept.length).toBe(3);
    for (const kept of ['delete-false', 'delete-confirm', 'flux-disabled'])
      expect(await configMap(ns, kept), kept).toBeDefined();
    await waitFor(
      'the deleted objects to be gone',
      async () => {
        for (const gone of ['plain', 'prune-confirm', 'prune-false'])
          if (await configMap(ns, gone)) return false;
        return true;
      },
      30_000,
    );
  });
});
