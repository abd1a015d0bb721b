import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEgressFetch } from '../../../../activities/egress/guarded-fetch.js';
import { SecretStore } from '../../../../activities/secrets/secret-store.js';
import { callWebhook } from '../../../../activities/webhooks/call-webhook.js';
import type { WebhookPayload, WebhookResult, WebhookSpec } from '../../../../activities/webhooks/payload.js';
import { type Receiver, startReceiver } from '../../../../scripts/stack/simulators/http-receiver.js';
import { openSecretAccess, testCaller } from '../../../helpers/trust.js';

const payload: WebhookPayload = {
  name: 'web',
  namespace: 'prod',
  phase: 'Progressing',
  checksum: 'abc',
  type: 'confirm-promotion',
  metadata: {},
};

describe('callWebhook (rollout webhooks)', () => {
  let receiver: Receiver;
  const egress = createEgressFetch({ allow: ['127.0.0.1/32'], maxResponseBytes: 1024 });
  const env = new MockActivityEnvironment();
  const call = (hook: Partial<WebhookSpec>) =>
    env.run(
      callWebhook,
      openSecretAccess(new SecretStore([])),
      { name: 'gate', type: 'confirm-promotion', url: '', timeoutMs: 2000, retries: 2, ...hook },
      payload,
      testCaller,
      egress,
    ) as Promise<WebhookResult>;

  beforeAll(async () => {
    receiver = await startReceiver({
      handle: (req) => {
        if (req.path === '/token') return { status: 200, body: 'AWS-TOKEN-IN-ANSWER' };
        if (req.path === '/denied') return { status: 403, body: 'not yet: TOKEN-IN-403' };
        if (req.path === '/big') return { status: 200, body: 'b'.repeat(100_000) };
        if (req.path === '/moved') return { status: 302, headers: { location: 'http://169.254.169.254/' } };
        return undefined;
      },
    });
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('keeps the status only, never the answer', async () => {
    expect(await call({ url: `${receiver.url}/token` })).toEqual({
      ok: true,
      status: 200,
      message: 'confirm-promotion webhook gate: HTTP 200',
      attempts: 1,
    });
    const denied = await call({ url: `${receiver.url}/denied` });
    expect(denied).toMatchObject({
      ok: false,
      status: 403,
      message: 'confirm-promotion webhook gate: HTTP 403',
    });
    // A body over the limit does not matter: the gate reads only the status.
    expect(await call({ url: `${receiver.url}/big` })).toMatchObject({ ok: true, status: 200 });
  });

  it('answers a redirect or a refused destination at once, without retrying', async () => {
    const before = receiver.requests.length;
    const moved = await call({ url: `${receiver.url}/moved` });
    expect(moved).toMatchObject({ ok: false, attempts: 1 });
    expect(moved.message).toMatch(
      /^confirm-promotion webhook gate: 127\.0\.0\.1:\d+ answered HTTP 302: redirects are not followed/,
    );
    expect(receiver.requests.length).toBe(before + 1);
    const refused = await call({ url: 'http://127.0.0.2:8080/' });
    expect(refused).toMatchObject({ ok: false, attempts: 1 });
    expect(refused.message).toMatch(
      /^confirm-promotion webhook gate: egress refused: 127\.0\.0\.2 \(loopback\), which the egress policy denies; .*egress\.allow/,
    );
  });
});
