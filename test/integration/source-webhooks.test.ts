// Issue 14, "revisions resolved once per repository": the repository watcher resolves the sources of
// all its Applications with one activity per poll, and a push webhook for a manifests repository wakes
// every Application that syncs from it, although its pipeline files live in another repository.
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import { type RepositoryConfig, repoWebhookHandlers, startRepoWatchers } from '../../worker/repositories.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../worker/webhooks/receiver.js';
import { hmacSignature } from '../../worker/webhooks/signature.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { configMapYaml } from './helpers/manifests.js';
import { recordHistory } from './helpers/record-history.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

/** Every string and decoded payload of a history: what anyone reading it could see. */
function historyText(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(historyText).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(historyText).join('\n');
  return '';
}

/** How many times a workflow's history scheduled an activity of this type. */
async function scheduled(handle: WorkflowHandle, activity: string): Promise<number> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity)
    .length;
}

describe('sources resolved once per repository; a push wakes every application of it', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let receiver: WebhookReceiver;
  const suffix = Date.now().toString(36);
  const manifests = servedRepo('src-manifests');
  const apps = servedRepo('src-apps');
  const hookSecret = `whsec-${suffix}`;
  const team = `team-${suffix}`;
  const locked = `locked-${suffix}`;
  // Poll and refresh far slower than the test: only the webhook can explain a fast sync.
  const appsConfig: RepositoryConfig = {
    id: `src-apps-${suffix}`,
    url: apps.url,
    revision: 'main',
    path: '.',
    pollInterval: '10m',
    projects: [team, locked],
  };
  const manifestsConfig: RepositoryConfig = {
    id: `src-manifests-${suffix}`,
    url: manifests.url,
    revision: 'main',
    path: '.',
    pollInterval: '10m',
    webhookSecretRef: { name: `src-hook-${suffix}` },
    projects: [team],
  };
  const names = { a: `a-${suffix}`, b: `b-${suffix}`, sneaky: `sneaky-${suffix}` };
  const app = (name: string) => w.client.workflow.getHandle(applicationWorkflowId(appsConfig.id, name));
  const cm = (name: string) => `cm-${name}`;
  const application = (name: string, project: string, path: string) => `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  project: ${project}
  source:
    repoURL: ${manifests.url}
    targetRevision: main
    path: ${path}
  destination:
    namespace: default
  syncPolicy:
    automated: {prune: true}
`;
  const manifestFiles = (version: string) => ({
    'a/cm.yaml': configMapYaml(cm(names.a), { version }),
    'b/cm.yaml': configMapYaml(cm(names.b), { version }),
  });
  let m1 = '';

  beforeAll(async () => {
    process.env[`SLUICE_SECRET_SRC_HOOK_${suffix.toUpperCase()}_SECRET`] = hookSecret;
    w = await startTestWorker('sources', {
      trust: {
        ...openTestTrust,
        projects: [
          ...(openTestTrust.projects ?? []),
          { name: team, sourceRepos: ['*'], destinations: [{ cluster: '*', namespace: 'default' }] },
          // May read only its own pipeline repository: never the manifests.
          { name: locked, sourceRepos: [apps.url], destinations: [{ cluster: '*', namespace: 'default' }] },
        ],
        repositories: [
          { id: appsConfig.id, url: apps.url, projects: appsConfig.projects },
          { id: manifestsConfig.id, url: manifests.url, projects: manifestsConfig.projects },
        ],
      },
    });
    const configs = [appsConfig, manifestsConfig];
    receiver = await startWebhookReceiver(repoWebhookHandlers(w.client, configs, w.deps.secrets));
    m1 = manifests.commit(manifestFiles('1'));
    apps.commit({
      'a.yaml': application(names.a, team, 'a'),
      'b.yaml': application(names.b, team, 'b'),
      'sneaky.yaml': application(names.sneaky, locked, 'a'),
    });
    await startRepoWatchers(w.client, w.taskQueue, configs, { refreshInterval: '10m' });
  });
  afterAll(async () => {
    await receiver?.close();
    for (const id of [
      repoWatcherId(appsConfig.id),
      repoWatcherId(manifestsConfig.id),
      ...Object.values(names).map((n) => applicationWorkflowId(appsConfig.id, n)),
    ])
      await w.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    for (const n of [names.a, names.b])
      await testKube()
        .core.deleteNamespacedConfigMap({ name: cm(n), namespace: 'default' })
        .catch(() => {});
    await w.stop();
  });

  it('syncs both applications from the watcher’s notice, and tells the other Project only its error', async () => {
    for (const n of [names.a, names.b])
      await waitFor(`${n} synced at m1`, async () => {
        const s = await app(n).query(applicationStatusQuery);
        return s.syncedRevision === m1 && s.syncStatus === 'Synced';
      });
    const sneaky = await waitFor('sneaky to be told its error', async () => {
      const s = await app(names.sneaky).query(applicationStatusQuery);
      return s.lastError !== undefined && s;
    });
    expect(sneaky.lastError).toContain(`source ${manifests.url} is not in the project's sourceRepos`);
    expect(sneaky.sourceRevision).toBeUndefined();
    // Nothing in its history tells it the commit its Project may not see.
    expect(historyText(await app(names.sneaky).fetchHistory())).not.toContain(m1);
  });

  it('one push webhook for the manifests repository syncs both applications within seconds', async () => {
    const m2 = manifests.commit(manifestFiles('2'));
    const body = JSON.stringify({ ref: 'refs/heads/main', after: m2 });
    const sent = Date.now();
    const res = await fetch(`${receiver.url}/webhooks/git/${manifestsConfig.id}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-hub-signature-256': hmacSignature(hookSecret, Buffer.from(body)),
      },
    });
    expect(res.status).toBe(202);
    for (const n of [names.a, names.b])
      await waitFor(
        `${n} synced at m2`,
        async () => (await app(n).query(applicationStatusQuery)).syncedRevision === m2,
        15_000,
        50,
      );
    const elapsed = Date.now() - sent;
    expect(elapsed).toBeLessThan(10_000);
    const live = await testKube().core.readNamespacedConfigMap({ name: cm(names.a), namespace: 'default' });
    expect(live.data).toEqual({ version: '2' });
    const sneaky = await app(names.sneaky).query(applicationStatusQuery);
    expect(sneaky.sourceRevision).toBeUndefined();
    expect(historyText(await app(names.sneaky).fetchHistory())).not.toContain(m2);

    // No application resolved its source itself; the watcher made one resolveSources call per poll or push.
    const watcher = w.client.workflow.getHandle(repoWatcherId(appsConfig.id));
    const perApp = await Promise.all(
      Object.values(names).map((n) => scheduled(app(n), 'resolveSourceRevision')),
    );
    expect(perApp).toEqual([0, 0, 0]);
    const resolves = await scheduled(watcher, 'resolveSources');
    const status = await watcher.query(repoStatusQuery);
    console.log(
      `[sources] ${Object.keys(names).length} apps: resolveSourceRevision per app ${perApp.join('/')}; ` +
        `watcher polls ${status.polls}, resolveSources ${resolves}; m2 synced ${elapsed} ms after the push`,
    );
    // The first poll, and the push (which polled nothing of the pipeline repository).
    expect(status.polls).toBe(1);
    expect(resolves).toBe(2);
    // Recorded since the watcher starts a commit's applications from an activity, each with its commit in its
    // input (patches start-apps-together, start-apps-by-activity); repo-watcher-resolving-sources,
    // repo-watcher-starting-apps-together and application-source-from-watcher keep replaying the paths before.
    await recordHistory(w.client, repoWatcherId(appsConfig.id), 'repo-watcher-starting-apps-by-activity');
    await recordHistory(
      w.client,
      applicationWorkflowId(appsConfig.id, names.a),
      'application-started-with-source',
    );
  });
});
