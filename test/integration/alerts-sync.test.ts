import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { type Receiver, startReceiver } from '../../scripts/stack/simulators/http-receiver.js';
import { applicationStatusQuery, refreshSignal } from '../../workflows/application/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fixtures/alert-receivers/webhook-receiver.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { orMissing, testKube } from './helpers/kube.js';
import { configMapYaml } from './helpers/manifests.js';
import { startTestWorker } from './helpers/test-worker.js';

// Applications announce their syncs, and the watcher invalid commits, to the AlertProviders their
// pipeline files name: a signed webhook that checks the signature, and one that answers 500 forever.
describe('alerts for syncs and invalid pipeline commits', () => {
  const suffix = Date.now().toString(36);
  const config = loadStackConfig();
  const HMAC_KEY = `hmac-${randomUUID()}`;
  const secretName = `hook-${suffix}`;
  const web = `web-${suffix}`;
  const quiet = `quiet-${suffix}`;
  const ns = `alerts-${suffix}`;
  const watcherId = `repo/alerts-${suffix}`;
  const pipelines = servedRepo('alerts-pipelines');
  const manifests = servedRepo('alerts-manifests');
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let hook: WebhookReceiver;
  let dead: Receiver;
  const manifestShas: string[] = [];
  let pipelineSha = '';

  const provider = (name: string, address: string) => `apiVersion: sluice.dev/v1alpha1
kind: AlertProvider
metadata: {name: ${name}}
spec:
  type: webhook
  address: ${address}
  secretRef: {name: ${secretName}, key: hmac}
`;
  const application = (name: string, automated: boolean) => `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  source: {repoURL: ${manifests.url}, targetRevision: main, path: web}
  destination: {namespace: ${ns}}
${automated ? '  syncPolicy: {automated: {prune: true, selfHeal: true}, retry: {limit: 0}, syncOptions: [CreateNamespace=true]}\n' : ''}  alerts:
    - name: team
      providerRef: {name: team-hook}
    - name: broken
      severity: info
      providerRef: {name: dead-hook}
`;
  const app = () => w.client.workflow.getHandle(applicationWorkflowId(`alerts-${suffix}`, web));
  const events = (type: string) => hook.messages.map((m) => m.event).filter((e) => e.type === type);

  beforeAll(async () => {
    // The worker's secret store reads SLUICE_SECRET_<NAME>_<KEY>: the HMAC key never enters Git or history.
    process.env[`SLUICE_SECRET_${secretName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_HMAC`] = HMAC_KEY;
    hook = await startWebhookReceiver(HMAC_KEY);
    dead = await startReceiver({ default: { status: 500, body: 'down' } });
    w = await startTestWorker('alerts-sync');
    manifestShas.push(
      manifests.commit({ 'web/config.yaml': configMapYaml('web-config', { color: 'blue' }) }),
    );
    pipelineSha = pipelines.commit({
      'apps/providers.yaml': `${provider('team-hook', hook.url)}---\n${provider('dead-hook', dead.url)}`,
      'apps/web.yaml': application(web, true),
      'apps/quiet.yaml': application(quiet, false),
    });
    await w.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: watcherId,
      args: [
        {
          repoId: `alerts-${suffix}`,
          repo: { url: pipelines.url, revision: 'main', path: 'apps' },
          pollInterval: '2s',
        },
      ],
    });
  });
  afterAll(async () => {
    for (const id of [
      watcherId,
      applicationWorkflowId(`alerts-${suffix}`, web),
      applicationWorkflowId(`alerts-${suffix}`, quiet),
    ])
      await w.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    await w?.stop();
    await hook?.close();
    await dead?.close();
  });

  it('announces sync started and succeeded with the app, the revision and a Temporal UI link', async () => {
    const succeeded = await waitFor('sync.succeeded', async () => events('sync.succeeded')[0], 90_000, 250);
    const started = events('sync.started');
    expect(started).toHaveLength(1);
    const sha = manifestShas[0] as string;
    for (const e of [started[0], succeeded])
      expect(e).toMatchObject({
        subject: web,
        revision: sha,
        workflowId: expect.stringMatching(
          new RegExp(`^sync/alerts-${suffix}/${web}/${sha.slice(0, 7)}-\\d+$`),
        ),
        link: expect.stringMatching(
          new RegExp(
            `^http://127\\.0\\.0\\.1:${config.ports.temporalUi}/namespaces/default/workflows/${encodeURIComponent(`sync/alerts-${suffix}/${web}/`)}`,
          ),
        ),
        fields: expect.objectContaining({ project: 'default' }),
      });
    expect(started[0]?.message).toBe(`syncing ${web} to ${sha.slice(0, 7)}`);
    expect(succeeded.message).toBe(`${web} synced to ${sha.slice(0, 7)} and healthy`);
    expect(hook.badSignatures).toEqual([]);
    // The application without automated sync announced nothing.
    expect(hook.messages.filter((m) => m.event.subject === quiet)).toEqual([]);
  });

  it('a provider answering 500 forever neither fails nor holds up the sync', async () => {
    await waitFor('the dead provider to be tried', async () => dead.requests.length > 0);
    const s = await app().query(applicationStatusQuery);
    expect(s).toMatchObject({ syncedRevision: manifestShas[0], syncStatus: 'Synced', health: 'Healthy' });
    expect(s.lastSync?.phase).toBe('Succeeded');
    expect((await app().describe()).status.name).toBe('RUNNING');
  });

  it('announces healed drift once, instead of another sync started / succeeded', async () => {
    await testKube().core.patchNamespacedConfigMap({
      namespace: ns,
      name: 'web-config',
      body: [{ op: 'replace', path: '/data/color', value: 'red' }],
    });
    await app().signal(refreshSignal);
    const healed = await waitFor('drift.healed', async () => events('drift.healed')[0], 60_000, 250);
    expect(healed).toMatchObject({
      subject: web,
      revision: manifestShas[0],
      message: `${web}: drift healed on 1 resource(s): ConfigMap ${ns}/web-config`,
    });
    expect(events('sync.started')).toHaveLength(1);
    expect(events('sync.succeeded')).toHaveLength(1);
  });

  it('announces a failed sync of a broken manifest, with the reason', async () => {
    manifestShas.push(
      manifests.commit({ 'web/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n' }),
    );
    await app().signal(refreshSignal);
    const failed = await waitFor(
      'sync.failed',
      async () => events('sync.failed').find((e) => e.revision === manifestShas[1]),
      90_000,
      250,
    );
    expect(failed).toMatchObject({ subject: web, severity: 'error' });
    expect(failed.message).toMatch(
      new RegExp(`^sync of ${web} to ${manifestShas[1]?.slice(0, 7)} failed: .*broken\\.yaml`),
    );
    const s = await app().query(applicationStatusQuery);
    expect(s.lastSync).toMatchObject({ phase: 'Failed', revision: manifestShas[1] });
    expect(s.syncedRevision).toBe(manifestShas[0]);
  });

  it('announces an invalid pipeline commit once, naming file:line, to each provider of the last valid set', async () => {
    const bad = pipelines.commit({
      'apps/web.yaml': application(web, true).replace('  destination:', '  destinaton:'),
    });
    const invalid = await waitFor(
      'pipeline.invalid',
      async () => events('pipeline.invalid').find((e) => e.revision === bad),
      60_000,
      250,
    );
    expect(invalid).toMatchObject({ subject: `alerts-${suffix}`, severity: 'error', workflowId: watcherId });
    expect(invalid.message).toContain('apps/web.yaml:7:3: spec.destinaton: unknown field');
    // Both applications route to team-hook: one message. More polls of the same commit: no more.
    const watcher = w.client.workflow.getHandle(watcherId);
    const seenAt = (await watcher.query(repoStatusQuery)).polls;
    await waitFor(
      'two more polls',
      async () => (await watcher.query(repoStatusQuery)).polls >= seenAt + 2,
      30_000,
      250,
    );
    expect(events('pipeline.invalid').filter((e) => e.revision === bad)).toHaveLength(1);
    expect((await watcher.query(repoStatusQuery)).lastValidSha).toBe(pipelineSha);
  });

  it('keeps the HMAC key out of the workflow histories', async () => {
    for (const id of [watcherId, applicationWorkflowId(`alerts-${suffix}`, web)]) {
      const history = await w.client.workflow.getHandle(id).fetchHistory();
      expect(JSON.stringify(history)).not.toContain(HMAC_KEY);
    }
  });

  it('announces the removal of an Application from Git and what it deleted', async () => {
    const kube = testKube();
    const before = (await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-config' })).metadata
      ?.name;
    expect(before).toBe('web-config');
    const sha = pipelines.commit({ 'apps/web.yaml': null });
    const removed = await waitFor(
      'application.removed',
      async () => events('application.removed')[0],
      60_000,
      250,
    );
    expect(removed).toMatchObject({
      subject: web,
      severity: 'warn',
      fields: { mode: 'deleted', deleted: 1, kept: 0 },
    });
    expect(removed.message).toBe(
      `${web} removed from ${pipelines.url} at ${sha.slice(0, 7)}: deleted 1 object(s)`,
    );
    // Deleted with Foreground propagation: gone once the garbage collector drops its finalizer, a moment later
    // (longer right after an API-server restart, while the collector rebuilds its graph).
    await waitFor(
      'web-config to be gone',
      async () =>
        (await orMissing(kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-config' }))) ===
        undefined,
      30_000,
    );
    // The application without automated prune stays: nothing of it was announced or deleted.
    expect(events('application.removed')).toHaveLength(1);
  });
});
