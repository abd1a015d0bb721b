// A rollout whose analysis is a web MetricTemplate: the worker calls a local status endpoint (the endpoint
// under test, on loopback, which the test worker's egress policy allows) with a secret header from its
// store, reads the value at the jsonPath, and promotes the canary on a good value or rolls it back on a bad
// one. The secret reaches the endpoint and never the workflow history.
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSecretSource, SecretStore } from '../../activities/secrets/secret-store.js';
import type { MetricTemplateSpec } from '../../schemas/types.generated.js';
import { type Receiver, startReceiver } from '../../scripts/stack/simulators/http-receiver.js';
import { failedRun } from '../helpers/runs.js';
import { testKube } from './helpers/kube.js';
import {
  applyAsSync,
  ensureNamespace,
  rolloutTarget,
  startRollout,
  targetDeployment,
} from './helpers/rollout.js';
import { startTestWorker } from './helpers/test-worker.js';

const TOKEN = `Bearer budget-${Date.now().toString(36)}-c4f3`;

/** A workflow's history as JSON with its payloads decoded, to search for the secret. */
async function historyText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.stringify(history, (k, v: unknown) =>
    k === 'data' && typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : v,
  );
}

describe('rollout analysis with a web MetricTemplate', () => {
  const ns = `analysis-web-${Date.now().toString(36)}`;
  const kube = testKube();
  /** The error budget the endpoint reports, per service. */
  const remaining: Record<string, number | string> = {};
  let endpoint: Receiver;
  let env: Awaited<ReturnType<typeof startTestWorker>>;

  beforeAll(async () => {
    endpoint = await startReceiver({
      handle: (req) => {
        const svc = new URL(req.path, 'http://x').searchParams.get('svc') ?? '';
        if (req.headers.authorization !== TOKEN) return { status: 401, body: '{}' };
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ data: { service: svc, remaining: remaining[svc] ?? null } }),
        };
      },
    });
    env = await startTestWorker('analysis-web', {
      secretStore: new SecretStore([envSecretSource({ SLUICE_SECRET_BUDGET_API_TOKEN: TOKEN })]),
    });
    await ensureNamespace(env.deps, ns);
  });
  afterAll(async () => {
    await env?.stop();
    await endpoint?.close();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  const budget: () => MetricTemplateSpec = () => ({
    provider: { type: 'web' },
    web: {
      url: `${endpoint.url}/api/v1/budget?svc={{ target }}&ns={{ namespace }}`,
      headers: [
        { name: 'Authorization', secretRef: { name: 'budget-api', key: 'token' } },
        { name: 'Accept', value: 'application/json' },
      ],
      jsonPath: '{$.data.remaining}',
      timeout: '5s',
    },
  });

  /** Deploys v1, initialises the rollout, applies v2 and rolls it out with the web check. */
  const rollOut = async (name: string) => {
    const t = rolloutTarget(ns, name, 'istio');
    await applyAsSync(env.deps, targetDeployment(ns, name, 'example/app:1'));
    expect(
      (await (await startRollout(env, t, { strategy: { canary: { stepWeight: 50 } } })).result()).phase,
    ).toBe('Initialized');
    await applyAsSync(env.deps, targetDeployment(ns, name, 'example/app:2'));
    return startRollout(
      env,
      t,
      {
        provider: 'istio',
        strategy: { canary: { stepWeight: 50, maxWeight: 50 } },
        analysis: {
          interval: '2s',
          threshold: 2,
          metrics: [
            { name: 'error-budget', templateRef: { name: 'budget' }, successCondition: 'result >= 0.25' },
          ],
        },
      },
      { metricTemplates: { 'default/budget': budget() } },
    );
  };
  const primaryImage = async (name: string) =>
    (await kube.apps.readNamespacedDeployment({ namespace: ns, name: `${name}-primary` })).spec?.template.spec
      ?.containers[0]?.image;

  it('promotes a canary whose endpoint reports a good value', async () => {
    remaining.good = '0.8'; // a numeric string, as some status APIs answer
    const handle = await rollOut('good');
    const done = await handle.result();
    expect(done.phase, done.message).toBe('Succeeded');
    expect(done.analysisRounds).toBeGreaterThanOrEqual(1);
    expect(await primaryImage('good')).toBe('example/app:2');
    const calls = endpoint.requests.filter((r) => r.path.includes('svc=good'));
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls[0]?.path).toBe(`/api/v1/budget?svc=good&ns=${ns}`);
    expect(calls.every((r) => r.status === 200)).toBe(true);
    // The history holds the check (its URL, decoded here, so a leaked header would be found too), not the secret.
    const history = await historyText(env.client, handle.workflowId);
    expect(history).toContain(`/api/v1/budget?svc=good&ns=${ns}`);
    expect(history).not.toContain(TOKEN);
  });

  it('rolls a canary back when its endpoint reports a bad value', async () => {
    remaining.bad = 0.1;
    const handle = await rollOut('bad');
    const done = await failedRun(handle, 'RolloutRolledBack');
    expect(done.phase).toBe('Failed');
    expect(done.failed).toMatchObject({ name: 'error-budget', value: 0.1 });
    expect(done.failed?.message).toBe('error-budget 0.1 fails "result >= 0.25"');
    expect(done.failedChecks).toBe(2);
    expect(await primaryImage('bad')).toBe('example/app:1');
    expect(await historyText(env.client, handle.workflowId)).not.toContain(TOKEN);
  });
});
