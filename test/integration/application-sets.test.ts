import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { orMissing, testKube } from './helpers/kube.js';
import { recordHistory } from './helpers/record-history.js';
import { startTestWorker } from './helpers/test-worker.js';

// ApplicationSets on the real stack: a watcher reads sets whose git directory generators walk the same
// commit's tree; the generated Applications sync, follow new and removed folders per the set's policy,
// and a generated name that clashes with a hand-written Application makes the commit invalid.
describe('ApplicationSet: git directories → Applications, per applicationsSync and preserve', () => {
  const suffix = Date.now().toString(36);
  const repo = servedRepo('appsets');
  const ns = `appset-${suffix}`;
  const kube = testKube();
  const repoId = `appsets-${suffix}`;
  let w: Awaited<ReturnType<typeof startTestWorker>>;

  const set = (name: string, dir: string, syncPolicy: string) => `apiVersion: sluice.dev/v1alpha1
kind: ApplicationSet
metadata: {name: ${name}}
spec:
  generators:
    - git:
        directories:
          - path: ${dir}/*
  template:
    metadata: {name: "${dir}-{{path.basename}}-${suffix}"}
    spec:
      source: {repoURL: ${repo.url}, targetRevision: main, path: "{{path}}"}
      destination: {namespace: ${ns}}
      syncPolicy: {automated: {prune: true}, retry: {limit: 0}, syncOptions: [CreateNamespace=true]}
  syncPolicy: ${syncPolicy}
`;
  const configMap = (name: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {from: ${name}}\n`;
  const appName = (dir: string, base: string) => `${dir}-${base}-${suffix}`;
  const appId = (dir: string, base: string) => applicationWorkflowId(repoId, appName(dir, base));
  const status = () => w.client.workflow.getHandle(repoWatcherId(repoId)).query(repoStatusQuery);
  const synced = (dir: string, base: string, sha: string) =>
    waitFor(
      `${appName(dir, base)} Synced and Healthy at ${sha.slice(0, 7)}`,
      async () => {
        const a = await w.client.workflow.getHandle(appId(dir, base)).query(applicationStatusQuery);
        return a.syncStatus === 'Synced' && a.health === 'Healthy' && a.syncedRevision === sha && a;
      },
      120_000,
      250,
    );
  const valid = (sha: string) =>
    waitFor(
      `the watcher at ${sha.slice(0, 7)}`,
      async () => {
        const s = await status();
        return s.lastValidSha === sha && s;
      },
      60_000,
      200,
    );
  const cm = (name: string) => orMissing(kube.core.readNamespacedConfigMap({ name, namespace: ns }));
  const closed = (id: string) =>
    waitFor(
      `${id} to finish`,
      async () => {
        const d = await w.client.workflow.getHandle(id).describe();
        return d.status.name === 'COMPLETED' && d;
      },
      60_000,
      250,
    );

  beforeAll(async () => {
    w = await startTestWorker('appsets');
  });
  afterAll(async () => {
    const s = await status().catch(() => undefined);
    for (const id of [repoWatcherId(repoId), ...Object.keys(s?.apps ?? {})])
      await w.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    await kube.core.deleteNamespace({ name: ns }).catch(() => {});
    await w?.stop();
  });

  let first = '';
  it('a set over three Git directories creates three Applications that sync', async () => {
    first = repo.commit({
      'sets.yaml': [
        set('web', 'a', '{applicationsSync: create-delete}'),
        set('kept', 'b', '{preserveResourcesOnDeletion: true}'),
        set('frozen', 'c', '{applicationsSync: create-only}'),
      ].join('---\n'),
      'a/one/cm.yaml': configMap(`a-one-${suffix}`),
      'a/two/cm.yaml': configMap(`a-two-${suffix}`),
      'a/three/cm.yaml': configMap(`a-three-${suffix}`),
      'b/one/cm.yaml': configMap(`b-one-${suffix}`),
      'c/one/cm.yaml': configMap(`c-one-${suffix}`),
    });
    await w.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: repoWatcherId(repoId),
      args: [{ repoId, repo: { url: repo.url, revision: 'main', path: '' }, pollInterval: '2s' }],
    });
    const s = await valid(first);
    expect(Object.keys(s.apps).sort()).toEqual(
      [
        appId('a', 'one'),
        appId('a', 'three'),
        appId('a', 'two'),
        appId('b', 'one'),
        appId('c', 'one'),
      ].sort(),
    );
    // The records say which set made which Application, and under which policy.
    expect(s.apps[appId('a', 'two')]?.generatedBy).toEqual({
      set: 'default/web',
      policy: 'create-delete',
      preserve: false,
    });
    expect(s.apps[appId('b', 'one')]?.generatedBy).toEqual({
      set: 'default/kept',
      policy: 'sync',
      preserve: true,
    });
    for (const base of ['one', 'two', 'three']) {
      const a = await synced('a', base, first);
      expect(a.source).toBe('sets.yaml:1');
      expect((await cm(`a-${base}-${suffix}`))?.data).toEqual({ from: `a-${base}-${suffix}` });
    }
    await synced('b', 'one', first);
    await synced('c', 'one', first);
  }, 240_000);

  it('a fourth directory adds one Application', async () => {
    const sha = repo.commit({ 'a/four/cm.yaml': configMap(`a-four-${suffix}`) });
    const s = await valid(sha);
    expect(Object.keys(s.apps)).toHaveLength(6);
    await synced('a', 'four', sha);
    expect((await cm(`a-four-${suffix}`))?.data).toEqual({ from: `a-four-${suffix}` });
  }, 180_000);

  it('removing a folder removes its Application per policy: create-delete deletes, preserve keeps the objects, create-only keeps the Application', async () => {
    const sha = repo.commit({ 'a/two/cm.yaml': null, 'b/one/cm.yaml': null, 'c/one/cm.yaml': null });
    const s = await valid(sha);
    expect(Object.keys(s.apps).sort()).toEqual(
      [appId('a', 'one'), appId('a', 'three'), appId('a', 'four'), appId('c', 'one')].sort(),
    );
    // create-delete with prune: the Application stops and its ConfigMap goes.
    await closed(appId('a', 'two'));
    await waitFor(
      'a-two ConfigMap deleted',
      async () => (await cm(`a-two-${suffix}`)) === undefined,
      30_000,
      250,
    );
    // preserveResourcesOnDeletion: the Application stops, its ConfigMap stays although prune is on.
    await closed(appId('b', 'one'));
    const result = await w.client.workflow.getHandle(appId('b', 'one')).result();
    expect(result.removal).toMatchObject({ mode: 'orphaned' });
    expect((await cm(`b-one-${suffix}`))?.data).toEqual({ from: `b-one-${suffix}` });
    // create-only: the Application is neither removed nor told; it keeps running.
    const c = await w.client.workflow.getHandle(appId('c', 'one')).describe();
    expect(c.status.name).toBe('RUNNING');
    expect((await cm(`c-one-${suffix}`))?.data).toEqual({ from: `c-one-${suffix}` });
    // Replay fixtures of the patched watcher (set policy) and of an application stopped with preserve.
    await recordHistory(w.client, repoWatcherId(repoId), 'repo-watcher-application-sets');
    await recordHistory(w.client, appId('b', 'one'), 'application-preserved-by-set');
  }, 180_000);

  it('a generated name that clashes with a hand-written Application is an error naming both files and lines', async () => {
    const sha = repo.commit({
      'hand.yaml': `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: ${appName('a', 'one')}}
spec:
  source: {repoURL: ${repo.url}, targetRevision: main, path: a/one}
  destination: {namespace: ${ns}}
`,
    });
    const s = await waitFor('the invalid commit', async () => {
      const st = await status();
      return st.invalid?.sha === sha && st;
    });
    expect(s.invalid?.errors).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^sets\\.yaml:10:\\d+: spec\\.template\\.metadata\\.name: generated Application "${appName('a', 'one')}" \\(spec\\.generators\\[0\\]\\.git\\.directories: a/one\\): Application "${appName('a', 'one')}" is already defined \\(first defined at hand\\.yaml:3:\\d+\\)`,
        ),
      ),
    );
    // The last valid set stays in force.
    expect(s.lastValidSha).not.toBe(sha);
  }, 60_000);
});
