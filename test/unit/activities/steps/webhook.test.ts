import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEgressFetch } from '../../../../activities/egress/guarded-fetch.js';
import { SecretStore } from '../../../../activities/secrets/secret-store.js';
import type { StepCall } from '../../../../activities/steps/types.js';
import { stepWebhook, WEBHOOK_OUTPUT_BYTES, webhookOutputs } from '../../../../activities/steps/webhook.js';
import { webhookHeaderProblem, webhookMethodProblem } from '../../../../core/steps/webhook.js';
import {
  type Receiver,
  type ScriptedResponse,
  startReceiver,
} from '../../../../scripts/stack/simulators/http-receiver.js';
import { openSecretAccess, testCaller } from '../../../helpers/trust.js';

const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

describe('webhook step rules', () => {
  it('allows GET, POST, PUT, PATCH and DELETE in any case, nothing else', () => {
    for (const m of ['GET', 'post', 'Put', 'PATCH', 'delete'])
      expect(webhookMethodProblem(m)).toBeUndefined();
    for (const m of ['HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND'])
      expect(webhookMethodProblem(m)).toMatch(/is not allowed: use one of GET, POST, PUT, PATCH, DELETE/);
  });

  it('refuses framing, hop-by-hop, proxy and X-Sluice-* headers, and names that are no token', () => {
    for (const h of ['Host', 'content-length', 'Transfer-Encoding', 'Connection', 'Upgrade', 'TE', 'Trailer'])
      expect(webhookHeaderProblem(h), h).toMatch(/cannot be set by a pipeline/);
    for (const h of ['Proxy-Authorization', 'X-Sluice-Signature', 'x-sluice-run', 'X-Sluice-Event'])
      expect(webhookHeaderProblem(h), h).toMatch(/cannot be set by a pipeline/);
    expect(webhookHeaderProblem('X-Evil\r\nHost')).toMatch(/not a valid HTTP header name/);
    for (const h of ['Authorization', 'Content-Type', 'X-Request-Id', 'Accept'])
      expect(webhookHeaderProblem(h), h).toBeUndefined();
  });
});

describe('webhookOutputs', () => {
  it('keeps status, the body and its fields when they fit', () => {
    expect(webhookOutputs(200, { passed: true, tag: '1.2' })).toEqual({
      status: 200,
      body: { passed: true, tag: '1.2' },
      passed: true,
      tag: '1.2',
    });
    expect(webhookOutputs(500, 'boom')).toEqual({ status: 500, body: 'boom' });
  });

  it('over the bound keeps status and the top-level fields that fit, never the body, and says so', () => {
    const answer: Record<string, unknown> = { passed: true, version: '1.2.3' };
    for (let i = 0; i < 50; i++) answer[`f${i}`] = 'x'.repeat(200);
    answer.token = 'SECRET-IN-A-LATE-FIELD'.repeat(10);
    const out = webhookOutputs(200, answer);
    expect(size(out)).toBeLessThanOrEqual(WEBHOOK_OUTPUT_BYTES);
    expect(out).toMatchObject({ status: 200, passed: true, version: '1.2.3', truncated: true });
    expect(out.body).toBeUndefined();
    expect(JSON.stringify(out)).not.toContain('SECRET-IN-A-LATE-FIELD');
    const text = webhookOutputs(200, 'y'.repeat(10_000));
    expect(text).toEqual({ status: 200, truncated: true });
    const list = webhookOutputs(
      200,
      Array.from({ length: 2000 }, (_, i) => i),
    );
    expect(list).toEqual({ status: 200, truncated: true });
  });
});

describe('stepWebhook activity', () => {
  let receiver: Receiver;
  const egress = createEgressFetch({ allow: ['127.0.0.1/32'], maxResponseBytes: 64 * 1024 });
  const secrets = openSecretAccess(new SecretStore([]));
  const env = new MockActivityEnvironment();
  const call = (inputs: Record<string, unknown>): StepCall => ({
    caller: testCaller,
    pipeline: 'p',
    run: '1',
    workflowId: 'pipeline/p/1',
    step: 'hook',
    inputs,
    trigger: { kind: 'manual' } as StepCall['trigger'],
  });
  const run = (inputs: Record<string, unknown>) =>
    env.run(stepWebhook, secrets, call(inputs), egress).then(
      (v) => v,
      (e: unknown) => e as ApplicationFailure,
    );

  beforeAll(async () => {
    receiver = await startReceiver({
      handle: (req): ScriptedResponse | undefined => {
        if (req.path === '/big-json') {
          const answer: Record<string, unknown> = {};
          for (let i = 0; i < 40; i++) answer[`f${i}`] = 'z'.repeat(300);
          answer.passed = true;
          return {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(answer),
          };
        }
        if (req.path === '/huge') return { status: 200, body: 'h'.repeat(200 * 1024) };
        if (req.path === '/fail') return { status: 500, body: 'internal detail SECRET-500' };
        if (req.path === '/moved') return { status: 301, headers: { location: 'http://127.0.0.2/' } };
        return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
      },
    });
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('refuses a method or header at run time (values computed by expressions), before any request', async () => {
    const before = receiver.requests.length;
    const trace = await run({ url: `${receiver.url}/`, method: 'TRACE' });
    expect(trace).toBeInstanceOf(ApplicationFailure);
    expect(trace).toMatchObject({ type: 'StepInputError', nonRetryable: true });
    expect((trace as Error).message).toMatch(/hook: method "TRACE" is not allowed/);
    const host = await run({ url: `${receiver.url}/`, headers: { HOST: 'metadata' } });
    expect(host).toMatchObject({ type: 'StepInputError' });
    const signature = await run({
      url: `${receiver.url}/`,
      headers: { 'x-sluice-signature': 'sha256=forged' },
    });
    expect((signature as Error).message).toMatch(/header "x-sluice-signature" cannot be set by a pipeline/);
    expect(receiver.requests.length).toBe(before);
  });

  it('sends author headers but keeps its own run id', async () => {
    const out = await run({
      url: `${receiver.url}/ok`,
      headers: { Authorization: 'Bearer t', 'X-Trace': '1' },
    });
    expect(out).toEqual({ status: 200, body: { ok: true }, ok: true });
    const seen = receiver.requests.at(-1);
    expect(seen?.headers.authorization).toBe('Bearer t');
    expect(seen?.headers['x-sluice-run']).toBe('pipeline/p/1');
  });

  it('bounds its outputs while the condition sees the whole answer', async () => {
    const out = (await run({ url: `${receiver.url}/big-json`, condition: 'body.passed == true' })) as Record<
      string,
      unknown
    >;
    expect(size(out)).toBeLessThanOrEqual(WEBHOOK_OUTPUT_BYTES);
    expect(out).toMatchObject({ status: 200, passed: true, truncated: true });
  });

  it('fails without quoting the answer, refuses redirects and answers over the limit for good', async () => {
    const failed = await run({ url: `${receiver.url}/fail` });
    expect(failed).toMatchObject({ type: 'StepFailed' });
    expect((failed as Error).message).toBe(`POST ${receiver.url}/fail: HTTP 500`);
    const moved = await run({ url: `${receiver.url}/moved`, method: 'GET' });
    expect(moved).toMatchObject({ type: 'RedirectRefusedError', nonRetryable: true });
    expect((moved as Error).message).toMatch(/answered HTTP 301: redirects are not followed/);
    const huge = await run({ url: `${receiver.url}/huge` });
    expect(huge).toMatchObject({ type: 'ResponseTooLargeError', nonRetryable: true });
    expect((huge as Error).message).toMatch(/larger than egress.maxResponseBytes \(65536 bytes\)/);
  });

  it('refuses a destination outside the egress policy, with the hint', async () => {
    const refused = await run({ url: 'http://169.254.169.254/latest/meta-data/' });
    expect(refused).toMatchObject({ type: 'EgressRefusedError', nonRetryable: true });
    expect((refused as Error).message).toMatch(
      /^POST http:\/\/169\.254\.169\.254\/latest\/meta-data\/: egress refused: 169\.254\.169\.254 \(link-local, .*\), which the egress policy denies; an administrator can allow it with egress\.allow/,
    );
  });
});
