// Issue 12, finding 5 (server-side request forgery), written as the attack. A pipeline-file author
// points a Pipeline webhook step, Rollout webhooks, a MetricTemplate and an AlertProvider at a "cloud
// metadata server" (a local server on 127.0.0.2 handing out a credential), directly or through a 302
// from a receiver the worker may reach, and answers with huge or credential-bearing bodies. The worker
// allows only 127.0.0.1/32 (egress.allow): the metadata server must never be asked, redirects are not
// followed, the answer is cut at egress.maxResponseBytes, and the credential appears in no history.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustConfig } from '../../activities/trust/config.js';
import {
  type Receiver,
  type ScriptedResponse,
  startReceiver,
} from '../../scripts/stack/simulators/http-receiver.js';
import { type PipelineRunStatus, pipelineStatusQuery } from '../../workflows/pipeline/messages.js';
import { abortUpdate } from '../../workflows/rollout/messages.js';
import { failedRun } from '../helpers/runs.js';
import { testKube } from './helpers/kube.js';
import { startPipelineRun } from './helpers/pipeline-run.js';
import {
  applyAsSync,
  ensureNamespace,
  rolloutTarget,
  startRollout,
  targetDeployment,
  waitForRollout,
} from './helpers/rollout.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

const TOKEN = `IMDS-${randomBytes(12).toString('hex')}`;
const MAX_RESPONSE_BYTES = 256 * 1024;
// The administrator allows the receiver's address only; everything else stays at the defaults.
const trust: Partial<TrustConfig> = {
  ...openTestTrust,
  egress: { allow: ['127.0.0.1/32'], maxResponseBytes: MAX_RESPONSE_BYTES },
};

/** A whole workflow history as JSON, payloads decoded, to search for the credential. */
async function historyText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.stringify(history, (k, v: unknown) =>
    k === 'data' && typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : v,
  );
}

describe('egress: SSRF from pipeline files (issue 12, finding 5)', () => {
  const suffix = Date.now().toString(36);
  const ns = `egress-${suffix}`;
  const kube = testKube();
  let metadata: Server;
  let metaBase: string;
  const metaRequests: string[] = [];
  let receiver: Receiver;
  let env: Awaited<ReturnType<typeof startTestWorker>>;
  const workflows: string[] = [];

  beforeAll(async () => {
    // The metadata server: answers anything with a credential, as IMDS does for a role's path.
    metadata = createServer((req, res) => {
      metaRequests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Code: 'Success', AccessKeyId: 'ASIAEXAMPLE', Token: TOKEN }));
    });
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.2', resolve));
    metaBase = `http://127.0.0.2:${(metadata.address() as AddressInfo).port}`;
    const credentials = `${metaBase}/latest/meta-data/iam/security-credentials/sluice-worker`;
    // The receiver the administrator allows; the author decides what it answers.
    receiver = await startReceiver({
      handle: (req): ScriptedResponse | undefined => {
        if (req.path === '/redirect') return { status: 302, headers: { location: credentials } };
        if (req.path === '/huge') return { status: 200, body: `${TOKEN} `.repeat(100_000) }; // ~4 MiB
        if (req.path === '/leaky-json')
          return {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ passed: true, dump: `${TOKEN} `.repeat(400) }),
          };
        if (req.path === '/leaky-text') return { status: 200, body: `credentials: ${TOKEN}` };
        return undefined;
      },
    });
    env = await startTestWorker('egress', { trust });
    await ensureNamespace(env.deps, ns);
  });

  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
    metadata?.closeAllConnections();
    await new Promise((r) => metadata?.close(r));
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  /** Runs a one-step Pipeline (its own name, so runs do not queue behind each other) to its end. */
  async function runWebhookStep(name: string, withYaml: string): Promise<PipelineRunStatus> {
    const handle = await startPipelineRun(
      env,
      {
        name,
        yaml: `apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata: {name: ${name}}
spec:
  trigger: {manual: {}}
  retryWindow: 0s
  steps:
    - name: call
      uses: webhook
      with: ${withYaml}
`,
      },
      { kind: 'manual', by: 'author' },
    );
    workflows.push(handle.workflowId);
    await handle.result().catch(() => undefined);
    return handle.query(pipelineStatusQuery);
  }

  /** A Deployment at revision 2, whose rollout the caller starts. */
  async function deploy(name: string) {
    await applyAsSync(env.deps, targetDeployment(ns, name, 'example/app:1'));
    const t = rolloutTarget(ns, name, 'istio');
    const init = await startRollout(env, t, { strategy: { canary: { stepWeight: 50 } } });
    expect((await init.result()).phase).toBe('Initialized');
    await applyAsSync(env.deps, targetDeployment(ns, name, 'example/app:2'));
    return t;
  }

  it('Pipeline webhook step: no metadata, no redirect, answers cut at the limit, outputs bounded', async () => {
    const [meta, redirect, huge, bounded] = await Promise.all([
      runWebhookStep(
        `egress-meta-${suffix}`,
        `{url: '${metaBase}/latest/meta-data/iam/security-credentials/sluice-worker', method: GET}`,
      ),
      runWebhookStep(`egress-redirect-${suffix}`, `{url: '${receiver.url}/redirect'}`),
      runWebhookStep(`egress-huge-${suffix}`, `{url: '${receiver.url}/huge', method: GET}`),
      runWebhookStep(
        `egress-bounded-${suffix}`,
        `{url: '${receiver.url}/leaky-json', condition: 'body.passed == true'}`,
      ),
    ]);
    expect(meta.phase).toBe('Failed');
    expect(meta.message).toMatch(
      /^step call failed: GET http:\/\/127\.0\.0\.2:\d+\/latest\/meta-data\/iam\/security-credentials\/sluice-worker: egress refused: 127\.0\.0\.2 \(loopback\), which the egress policy denies; an administrator can allow it with egress\.allow/,
    );
    expect(redirect.phase).toBe('Failed');
    expect(redirect.message).toMatch(/answered HTTP 302: redirects are not followed/);
    expect(huge.phase).toBe('Failed');
    expect(huge.message).toContain(
      `is larger than egress.maxResponseBytes (${MAX_RESPONSE_BYTES} bytes): the request was aborted`,
    );
    expect(bounded.phase).toBe('Succeeded');
    const outputs = bounded.steps[0]?.outputs ?? {};
    expect(outputs).toMatchObject({ status: 200, passed: true, truncated: true });
    expect(Buffer.byteLength(JSON.stringify(outputs))).toBeLessThanOrEqual(4096);
    expect(receiver.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/redirect', '/huge', '/leaky-json']),
    );
  });

  it('Rollout webhooks: a gate at the metadata server holds, a redirect fails the load test, no answer is kept', async () => {
    const [gateTarget, hooksTarget] = await Promise.all([deploy('gate'), deploy('hooks')]);
    const gate = await startRollout(env, gateTarget, {
      provider: 'istio',
      strategy: { canary: { stepWeights: [50] } },
      analysis: {
        interval: '1s',
        webhooks: [
          { name: 'imds-gate', type: 'confirm-rollout', url: `${metaBase}/latest/api/token`, timeout: '5s' },
        ],
      },
    });
    const hooks = await startRollout(env, hooksTarget, {
      provider: 'istio',
      strategy: { canary: { stepWeights: [50] } },
      analysis: {
        interval: '1s',
        threshold: 1,
        webhooks: [
          { name: 'leaky', type: 'pre-rollout', url: `${receiver.url}/leaky-text`, timeout: '5s' },
          { name: 'redir', type: 'rollout', url: `${receiver.url}/redirect`, timeout: '5s', retries: 0 },
        ],
      },
    });
    workflows.push(gate.workflowId, hooks.workflowId);

    const waiting = await waitForRollout(
      gate,
      'the gate to refuse the metadata address',
      (s) => /egress refused/.test(s.message ?? '') || s.phase === 'Succeeded',
      60_000,
    );
    expect(waiting.phase).toBe('Waiting');
    expect(waiting.message).toMatch(
      /^waiting for confirm-rollout webhook imds-gate: egress refused: 127\.0\.0\.2 \(loopback\)/,
    );
    await gate.executeUpdate(abortUpdate, { args: [{ reason: 'test over' }] });
    await failedRun(gate, 'RolloutAborted');

    const failed = await failedRun(hooks, 'RolloutRolledBack');
    expect(failed.phase).toBe('Failed');
    expect(failed.failed?.name).toBe('rollout-webhook');
    expect(failed.message).toMatch(
      /rollout webhook redir: 127\.0\.0\.1:\d+ answered HTTP 302: redirects are not/,
    );
    expect(failed.webhooks?.leaky).toMatchObject({
      ok: true,
      message: 'pre-rollout webhook leaky: HTTP 200',
    });
  });

  it('MetricTemplate and AlertProvider addresses at the metadata server are refused', async () => {
    const t = await deploy('metric');
    const handle = await startRollout(
      env,
      t,
      {
        provider: 'istio',
        strategy: { canary: { stepWeights: [50] } },
        analysis: {
          interval: '1s',
          threshold: 1,
          metrics: [{ name: 'stolen', templateRef: { name: 'imds' }, thresholdRange: { min: 0 } }],
          alerts: [{ name: 'exfil', providerRef: { name: 'exfil' } }],
        },
      },
      {
        metricTemplates: {
          'default/imds': { provider: { type: 'prometheus', address: metaBase }, query: 'up' },
        },
        alertProviders: { 'default/exfil': { type: 'webhook', address: `${metaBase}/latest/user-data` } },
      },
    );
    workflows.push(handle.workflowId);
    const done = await failedRun(handle, 'RolloutRolledBack');
    expect(done.phase).toBe('Failed');
    expect(done.lastChecks?.[0]).toMatchObject({ name: 'stolen', verdict: 'Error' });
    expect(done.lastChecks?.[0]?.message).toMatch(
      /^stolen: prometheus at http:\/\/127\.0\.0\.2:\d+: egress refused: 127\.0\.0\.2 \(loopback\)/,
    );
    const history = await historyText(env.client, handle.workflowId);
    expect(history).toMatch(/webhook provider exfil: egress refused: 127\.0\.0\.2 \(loopback\)/);
  });

  it('the metadata server was never asked, and the credential is in no workflow history', async () => {
    const leaked: string[] = [];
    for (const id of workflows) if ((await historyText(env.client, id)).includes(TOKEN)) leaked.push(id);
    expect.soft(metaRequests).toEqual([]);
    expect(workflows.length).toBe(7);
    expect(leaked).toEqual([]);
  });
});
