import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWorkflowId } from '../../core/workflow-ids.js';
import type { DesiredApplication } from '../../workflows/application/messages.js';
import { syncUpdate } from '../../workflows/application/messages.js';
import { failedRun } from '../helpers/runs.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { orMissing, testKube } from './helpers/kube.js';
import { configMapYaml, deploymentYaml, hookJobYaml } from './helpers/manifests.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

describe('sync engine: waves, hooks, progress deadline and projects', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const repo = servedRepo('waves');
  const kube = testKube();
  const started: { terminate: (r: string) => Promise<unknown> }[] = [];

  /** A manually synced application (no automated policy) on one folder of the repository. */
  const app = async (name: string, path: string, extra: Partial<DesiredApplication> = {}) => {
    const handle = await startApp(w.client, w.taskQueue, {
      name: `${name}-${suffix}`,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path, render: { plugin: 'directory' } },
        destination: { namespace: `${name}-${suffix}` },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
      ...extra,
    });
    started.push(handle);
    await waitForStatus(handle, 'the source revision', (s) => s.sourceRevision !== undefined);
    return handle;
  };

  beforeAll(async () => {
    // The administrator's side: a 'locked' Project bound to the tests' repository next to the open default.
    w = await startTestWorker('waves', {
      trust: {
        ...openTestTrust,
        projects: [
          ...(openTestTrust.projects ?? []),
          { name: 'locked', sourceRepos: ['*'], destinations: [{ namespace: `policy-${suffix}` }] },
        ],
        repositories: [{ id: TEST_REPO, url: repo.url, projects: ['default', 'locked'] }],
      },
    });
    repo.commit({
      'waves/a-deployment.yaml': deploymentYaml('first', { wave: 0 }),
      'waves/b-config.yaml': configMapYaml('second', { after: 'first' }, { 'sluice.dev/sync-wave': '1' }),
      'hooks/pre.yaml': hookJobYaml('migrate', 'PreSync', { fail: true }),
      'hooks/app.yaml': configMapYaml('never', { applied: 'no' }),
      'stuck/deployment.yaml': deploymentYaml('stuck', {
        progressDeadlineSeconds: 5,
        nodeSelector: { 'sluice.dev/no-such-node': 'true' },
      }),
      'policy/config.yaml': configMapYaml('allowed', { ok: 'yes' }),
      'policy/role.yaml':
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: sneaky\nrules: []\n',
    });
  });
  afterAll(async () => {
    for (const h of started) await h.terminate('test done').catch(() => {});
    await w.stop();
  });

  it('runs waves in order: wave 1 is applied only after wave 0 is healthy', async () => {
    const h = await app('waves', 'waves');
    const result = await h.executeUpdate(syncUpdate, { args: [{}] });
    expect(result.phase).toBe('Succeeded');
    const ns = `waves-${suffix}`;
    const d = await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'first' });
    const cm = await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'second' });
    const available = d.status?.conditions?.find((c) => c.type === 'Available' && c.status === 'True');
    expect(available).toBeDefined();
    // Timestamps have second precision: the ConfigMap cannot predate the Deployment becoming Available.
    expect(new Date(cm.metadata?.creationTimestamp as Date).getTime()).toBeGreaterThanOrEqual(
      new Date(available?.lastTransitionTime as Date).getTime(),
    );
  });

  it('a dry run reports each difference as a unified diff and changes nothing', async () => {
    const h = await app('dry', 'waves');
    const result = await h.executeUpdate(syncUpdate, { args: [{ dryRun: true }] });
    expect(result).toMatchObject({ phase: 'Succeeded', dryRun: true });
    expect(result.diff?.map((d) => `${d.ref.kind} ${d.status}`).sort()).toEqual([
      'ConfigMap Missing',
      'Deployment Missing',
    ]);
    const cm = result.diff?.find((d) => d.ref.kind === 'ConfigMap');
    expect(cm?.diff).toContain('+  after: first');
    expect(await orMissing(kube.core.readNamespace({ name: `dry-${suffix}` }))).toBeUndefined();
  });

  it('a failing PreSync hook stops the sync and nothing after it is applied', async () => {
    const h = await app('hooks', 'hooks');
    const result = await h.executeUpdate(syncUpdate, { args: [{}] });
    expect(result.phase).toBe('Failed');
    expect(result.message).toMatch(/^PreSync hook failed: batch\/Job hooks-\w+\/migrate: Degraded/);
    // The sync's own workflow failed (red in the UI); the application read its result from the failure.
    const child = w.client.workflow.getHandle(
      syncWorkflowId(TEST_REPO, `hooks-${suffix}`, result.revision, result.id),
    );
    expect(await failedRun(child, 'SyncFailed')).toMatchObject({
      id: result.id,
      phase: 'Failed',
      message: result.message,
    });
    expect(
      await orMissing(kube.core.readNamespacedConfigMap({ namespace: `hooks-${suffix}`, name: 'never' })),
    ).toBeUndefined();
  });

  it('a Deployment that never becomes ready ends Degraded after its progress deadline', async () => {
    const h = await app('stuck', 'stuck');
    const result = await h.executeUpdate(syncUpdate, { args: [{}] });
    expect(result).toMatchObject({ phase: 'Failed', health: 'Degraded' });
    expect(result.message).toMatch(
      /wave 0 is Degraded: apps\/Deployment stuck-\w+\/stuck: .*(ProgressDeadlineExceeded|progress deadline)/i,
    );
  });

  it('an object another application tracks fails the sync instead of being taken over (FailOnSharedResource or not)', async () => {
    const shared = `shared-${suffix}`;
    const spec = (opts: string[]) => ({
      source: {
        repoURL: repo.url,
        targetRevision: 'main',
        path: 'policy',
        render: { plugin: 'directory', include: 'config.yaml' },
      },
      destination: { namespace: shared },
      syncPolicy: { syncOptions: ['CreateNamespace=true', ...opts] },
    });
    const owner = await app('owner', 'policy', { spec: spec([]) });
    expect((await owner.executeUpdate(syncUpdate, { args: [{}] })).phase).toBe('Succeeded');
    const intruder = await app('intruder', 'policy', { spec: spec(['FailOnSharedResource=true']) });
    const result = await intruder.executeUpdate(syncUpdate, { args: [{}] });
    expect(result.phase).toBe('Failed');
    expect(result.message).toContain(
      `ConfigMap ${shared}/allowed is tracked by application test/owner-${suffix}, not test/intruder-${suffix}`,
    );
    const quiet = await app('quiet', 'policy', { spec: spec([]) });
    expect((await quiet.executeUpdate(syncUpdate, { args: [{}] })).message).toContain(
      `ConfigMap ${shared}/allowed is tracked by application test/owner-${suffix}`,
    );
    const cm = await kube.core.readNamespacedConfigMap({ namespace: shared, name: 'allowed' });
    expect(cm.metadata?.annotations?.['sluice.dev/tracking-id']).toBe(`test/owner-${suffix}`);
  });

  it('a project violation applies nothing and says why', async () => {
    const h = await app('policy', 'policy', { project: 'locked' });
    const result = await h.executeUpdate(syncUpdate, { args: [{}] });
    expect(result.phase).toBe('Failed');
    expect(result.message).toBe(
      `render failed: Application policy-${suffix} (project locked): rbac.authorization.k8s.io/ClusterRole sneaky is cluster-scoped and not in clusterResourceAllowList (or is in clusterResourceDenyList)`,
    );
    expect(
      await orMissing(kube.core.readNamespacedConfigMap({ namespace: `policy-${suffix}`, name: 'allowed' })),
    ).toBeUndefined();
  });
});
