import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWorkflowId } from '../../core/workflow-ids.js';
import { type Receiver, startReceiver } from '../../scripts/stack/simulators/http-receiver.js';
import { applicationStatusQuery, historyQuery, syncUpdate } from '../../workflows/application/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { kubectl } from './helpers/kubectl.js';
import { configMapYaml, deploymentYaml } from './helpers/manifests.js';
import { recordHistory } from './helpers/record-history.js';
import { startTestWorker } from './helpers/test-worker.js';

// Live state arrives as watch events: no periodic refresh helps here (every app refreshes every 10 minutes), so
// each change below is seen only because the worker's live-state cache signalled the application.
describe('live state: drift and health as events from the cluster cache', () => {
  const suffix = Date.now().toString(36);
  const repo = servedRepo('live-state');
  const kube = testKube();
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let hooks: Receiver;
  let sha = '';
  const apps: Awaited<ReturnType<typeof startApp>>[] = [];
  const alerts = (type: string, app: string) =>
    hooks.requests
      .map((r) => JSON.parse(r.body) as { type: string; subject: string; message: string })
      .filter((e) => e.type === type && e.subject === app);

  const start = async (name: string, ns: string, automated: Record<string, unknown>) => {
    const app = await startApp(
      w.client,
      w.taskQueue,
      {
        name,
        project: 'default',
        revision: 'test',
        source: 'test',
        spec: {
          source: { repoURL: repo.url, targetRevision: 'main', path: 'web', render: { plugin: 'directory' } },
          destination: { namespace: ns },
          syncPolicy: { automated, syncOptions: ['CreateNamespace=true'] },
          alerts: [{ name: 'team', providerRef: { name: 'hooks' }, severity: 'info' }],
        },
        alertProviders: { 'default/hooks': { type: 'webhook', address: `${hooks.url}/alerts` } },
      },
      '10m',
    );
    apps.push(app);
    await waitForStatus(app, `${name} first sync`, (s) => s.syncedRevision === sha && s.health === 'Healthy');
    return app;
  };

  beforeAll(async () => {
    hooks = await startReceiver({ default: { status: 200, body: 'ok' } });
    w = await startTestWorker('live-state');
    sha = repo.commit({
      'web/deployment.yaml': deploymentYaml('web', { replicas: 1 }),
      'web/config.yaml': configMapYaml('web-config', { color: 'blue' }),
    });
  });
  afterAll(async () => {
    for (const app of apps) await app.terminate('test done').catch(() => {});
    await w?.stop();
    await hooks?.close();
  });

  it('heals a kubectl patch of a field Sluice manages within 10 s (selfHeal)', async () => {
    const ns = `live-heal-${suffix}`;
    const app = await start(`heal-${suffix}`, ns, { prune: true, selfHeal: true });
    const before = (await app.query(historyQuery)).length;
    const patchedAt = Date.now();
    kubectl('-n', ns, 'patch', 'configmap', 'web-config', '--type=merge', '-p', '{"data":{"color":"red"}}');
    await waitFor(
      'the ConfigMap healed',
      async () =>
        (await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-config' })).data?.color ===
        'blue',
      10_000,
      100,
    );
    const healedMs = Date.now() - patchedAt;
    process.stderr.write(`[live-state] kubectl patch healed after ${healedMs} ms\n`);
    expect(healedMs).toBeLessThanOrEqual(10_000);
    // The heal sync is recorded once it has also waited for health, a moment after the write.
    const history = await waitFor('the heal in the history', async () => {
      const h = await app.query(historyQuery);
      return h.length > before && h;
    });
    expect(history.length).toBe(before + 1);
    expect(history.at(-1)).toMatchObject({ phase: 'Succeeded', changed: [`ConfigMap ${ns}/web-config`] });
    await waitFor(
      'the drift.healed alert',
      async () => alerts('drift.healed', `heal-${suffix}`).length === 1,
    );
    await recordHistory(w.client, app.workflowId, 'application-live-heal');
  });

  it('without selfHeal: OutOfSync and one application.drifted alert within 10 s, not one per event', async () => {
    const ns = `live-drift-${suffix}`;
    const name = `drift-${suffix}`;
    const app = await start(name, ns, { prune: true });
    const patchedAt = Date.now();
    kubectl('-n', ns, 'patch', 'configmap', 'web-config', '--type=merge', '-p', '{"data":{"color":"red"}}');
    await waitForStatus(app, 'OutOfSync', (s) => s.syncStatus === 'OutOfSync', 10_000);
    await waitFor(
      'the drifted alert',
      async () => alerts('application.drifted', name).length === 1,
      10_000,
      100,
    );
    const driftMs = Date.now() - patchedAt;
    process.stderr.write(`[live-state] OutOfSync and alerted after ${driftMs} ms\n`);
    expect(driftMs).toBeLessThanOrEqual(10_000);
    expect(alerts('application.drifted', name)[0]?.message).toContain(`ConfigMap ${ns}/web-config`);
    // More edits of the same drift are more events, not more alerts.
    kubectl('-n', ns, 'patch', 'configmap', 'web-config', '--type=merge', '-p', '{"data":{"color":"green"}}');
    kubectl('-n', ns, 'label', 'configmap', 'web-config', 'touched=yes');
    await new Promise((r) => setTimeout(r, 4000));
    expect(alerts('application.drifted', name)).toHaveLength(1);
    const s = await app.query(applicationStatusQuery);
    expect(s.syncStatus).toBe('OutOfSync');
    expect(await app.query(historyQuery)).toHaveLength(1); // nothing re-applied it
    expect((await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-config' })).data?.color).toBe(
      'green',
    );
    await recordHistory(w.client, app.workflowId, 'application-live-drift-alerted');
  });

  it('a Deployment whose pods stop being ready turns the application Degraded within 10 s, and Healthy after', async () => {
    const ns = `live-health-${suffix}`;
    const name = `health-${suffix}`;
    const app = await start(name, ns, { prune: true, selfHeal: true });
    const pods = kubectl('-n', ns, 'get', 'pods', '-l', 'app=web', '-o', 'name').trim().split('\n');
    expect(pods.length).toBeGreaterThan(0);
    // As a failing readiness probe would: the pods' Ready conditions turn False (kwok leaves Running pods alone).
    const ready = async (value: 'True' | 'False') => {
      for (const pod of pods) {
        const podName = pod.replace('pod/', '');
        const live = await kube.core.readNamespacedPod({ namespace: ns, name: podName });
        const patch = (live.status?.conditions ?? [])
          .map((c, i) => ({ c, i }))
          .filter(({ c }) => c.type === 'Ready' || c.type === 'ContainersReady')
          .map(({ i }) => ({ op: 'replace', path: `/status/conditions/${i}/status`, value }));
        kubectl('-n', ns, 'patch', pod, '--subresource=status', '--type=json', '-p', JSON.stringify(patch));
      }
    };
    const brokenAt = Date.now();
    await ready('False');
    await waitForStatus(app, 'Degraded', (s) => s.health === 'Degraded', 10_000);
    const degradedMs = Date.now() - brokenAt;
    process.stderr.write(`[live-state] Degraded after ${degradedMs} ms\n`);
    expect(degradedMs).toBeLessThanOrEqual(10_000);
    await waitFor('the degraded alert', async () => alerts('sync.degraded', name).length === 1);
    const fixedAt = Date.now();
    await ready('True');
    await waitForStatus(app, 'Healthy again', (s) => s.health === 'Healthy', 10_000);
    const recoveredMs = Date.now() - fixedAt;
    process.stderr.write(`[live-state] Healthy again after ${recoveredMs} ms\n`);
    expect(recoveredMs).toBeLessThanOrEqual(10_000);
    await waitFor('the recovered alert', async () => alerts('application.recovered', name).length === 1);
  });

  it('a sync of an application whose objects are all current makes 0 writes and 0 GETs', async () => {
    const ns = `live-noop-${suffix}`;
    const app = await start(`noop-${suffix}`, ns, { prune: true, selfHeal: true });
    // Every request this process sends to the API server (the worker runs in it), watches aside.
    const requests: string[] = [];
    const onRequest = (message: unknown) => {
      const req = (message as { request: ClientRequest }).request;
      if (!req.path.includes('watch=true')) requests.push(`${req.method} ${req.path}`);
    };
    dc.subscribe('http.client.request.start', onRequest);
    try {
      const result = await app.executeUpdate(syncUpdate, { args: [{}] });
      expect(result).toMatchObject({ phase: 'Succeeded', changed: [], health: 'Healthy' });
    } finally {
      dc.unsubscribe('http.client.request.start', onRequest);
    }
    expect(requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
    expect(requests.filter((r) => r.startsWith('GET ') && r.includes(`/namespaces/${ns}`))).toEqual([]);
    expect(requests).toEqual([]);
    // Healthy right after the apply: one activity, no wait step.
    const noop = w.client.workflow.getHandle(syncWorkflowId(TEST_REPO, `noop-${suffix}`, sha, 2));
    const steps = (await noop.fetchHistory()).events?.flatMap((e) =>
      e.activityTaskScheduledEventAttributes
        ? [e.activityTaskScheduledEventAttributes.activityType?.name]
        : [],
    );
    expect(steps).toEqual(['renderAndApply']);
    // Since patch health-at-apply; sync-one-step-no-op keeps replaying the path with a wait step.
    await recordHistory(w.client, noop.workflowId, 'sync-no-op-healthy-at-apply');
  });
});
