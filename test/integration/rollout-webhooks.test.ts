import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Webhook } from '../../schemas/types.generated.js';
import {
  type ReceivedRequest,
  type Receiver,
  startReceiver,
} from '../../scripts/stack/simulators/http-receiver.js';
import { failedRun } from '../helpers/runs.js';
import { testKube } from './helpers/kube.js';
import {
  applyAsSync,
  ensureNamespace,
  rolloutTarget,
  routesOf,
  startRollout,
  targetDeployment,
  waitForRollout,
} from './helpers/rollout.js';
import { startTestWorker } from './helpers/test-worker.js';

const HMAC_KEY = `hooks-${Date.now().toString(36)}`;
const SECRET = `hooks${Date.now().toString(36)}`;

// Rollout webhooks against a real local HTTP receiver: what each type is called with, gates holding
// until they answer 2xx, a rollback hook rolling back, and the body signed with the secretRef's key.
describe('rollout webhooks', () => {
  const ns = `hooks-${Date.now().toString(36)}`;
  const kube = testKube();
  let env: Awaited<ReturnType<typeof startTestWorker>>;
  let receiver: Receiver;
  let gateOpen = false;
  let rollbackNow = false;
  let preCalls = 0;

  const byPath = (path: string) => receiver.requests.filter((r) => r.path === path);
  const body = (r: ReceivedRequest) => JSON.parse(r.body) as Record<string, unknown>;
  const deploy = async (name: string) => {
    await applyAsSync(env.deps, targetDeployment(ns, name, 'example/app:1'));
    const t = rolloutTarget(ns, name, 'istio');
    expect(
      (await (await startRollout(env, t, { strategy: { canary: { stepWeight: 50 } } })).result()).phase,
    ).toBe('Initialized');
    await applyAsSync(env.deps, targetDeployment(ns, name, 'example/app:2'));
    return t;
  };
  const hook = (name: string, type: Webhook['type'], extra: Partial<Webhook> = {}): Webhook => ({
    name,
    type,
    url: `${receiver.url}/${name}`,
    timeout: '5s',
    ...extra,
  });

  beforeAll(async () => {
    process.env[`SLUICE_SECRET_${SECRET.toUpperCase()}_KEY`] = HMAC_KEY;
    receiver = await startReceiver({
      handle: (req) => {
        if (req.path === '/promotion-gate')
          return { status: gateOpen ? 200 : 403, body: gateOpen ? 'go' : 'not yet' };
        if (req.path === '/rollback-gate') return { status: rollbackNow ? 200 : 404 };
        if (req.path === '/pre') return { status: preCalls++ === 0 ? 503 : 200 };
        if (req.path === '/flaky-load') return { status: 500, body: 'boom' };
        return { status: 200, body: 'ok' };
      },
    });
    env = await startTestWorker('hooks');
    await ensureNamespace(env.deps, ns);
  });
  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('calls pre-rollout, load-test, event and post-rollout hooks, and holds promotion until the gate opens', async () => {
    const t = await deploy('gates');
    // The pre-rollout hook answers 503 once: retried within the call, then passes.
    const handle = await startRollout(env, t, {
      provider: 'istio',
      strategy: { canary: { stepWeights: [50] } },
      analysis: {
        interval: '1s',
        webhooks: [
          hook('pre', 'pre-rollout', { metadata: { suite: 'smoke' } }),
          hook('load', 'rollout', { secretRef: { name: SECRET, key: 'key' } }),
          hook('promotion-gate', 'confirm-promotion'),
          hook('post', 'post-rollout'),
          hook('events', 'event'),
        ],
      },
    });
    const waiting = await waitForRollout(handle, 'the promotion gate', (s) => s.phase === 'Waiting');
    expect(waiting.message).toMatch(/promotion-gate/);
    expect(waiting.canaryWeight).toBe(50);
    const gateCalls = byPath('/promotion-gate').length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(byPath('/promotion-gate').length).toBeGreaterThan(gateCalls); // asked again each interval
    expect((await env.client.workflow.getHandle(handle.workflowId).describe()).status.name).toBe('RUNNING');
    gateOpen = true;
    const done = await handle.result();
    expect(done.phase, done.message).toBe('Succeeded');

    const pre = byPath('/pre');
    expect(pre.map((r) => r.status)).toEqual([503, 200]);
    expect(body(pre[1] as ReceivedRequest)).toMatchObject({
      name: 'gates',
      namespace: ns,
      checksum: done.checksum,
      type: 'pre-rollout',
      metadata: { suite: 'smoke' },
    });
    const load = byPath('/load');
    expect(load.length).toBeGreaterThanOrEqual(1);
    const signed = load[0] as ReceivedRequest;
    expect(signed.headers['x-sluice-signature']).toBe(
      `sha256=${createHmac('sha256', HMAC_KEY).update(signed.body).digest('hex')}`,
    );
    expect(byPath('/post').map((r) => body(r).phase)).toEqual(['Succeeded']);
    const events = byPath('/events').map((r) => (body(r).metadata as Record<string, string>).eventType);
    expect(events).toEqual(
      expect.arrayContaining(['rollout.started', 'rollout.stepAdvanced', 'rollout.promoted']),
    );
  });

  it('rolls back when the rollback hook answers 200, and fails on a load test that keeps failing', async () => {
    const t = await deploy('rollbackhook');
    const handle = await startRollout(env, t, {
      provider: 'istio',
      strategy: { canary: { steps: [{ setWeight: 20 }, { analysis: { iterations: 30 } }] } },
      analysis: { interval: '1s', webhooks: [hook('rollback-gate', 'rollback')] },
    });
    await waitForRollout(handle, 'a few analysis rounds', (s) => s.analysisRounds >= 2);
    rollbackNow = true;
    const done = await failedRun(handle, 'RolloutRolledBack');
    expect(done.phase).toBe('Failed');
    expect(done.failed?.name).toBe('rollback-gate');
    expect(await routesOf(env.deps, t)()).toMatchObject({ primaryWeight: 100, canaryWeight: 0 });

    const u = await deploy('loadfail');
    const failing = await startRollout(env, u, {
      provider: 'istio',
      strategy: { canary: { stepWeights: [10, 20] } },
      analysis: { interval: '1s', threshold: 2, webhooks: [hook('flaky-load', 'rollout', { retries: 0 })] },
    });
    const failed = await failedRun(failing, 'RolloutRolledBack');
    expect(failed.phase).toBe('Failed');
    expect(failed.failed?.name).toBe('rollout-webhook');
    expect(failed.failedChecks).toBe(2);
    expect(failed.message).toMatch(/flaky-load: HTTP 500/);
  });
});
