import { afterEach, describe, expect, it } from 'vitest';
import { rolloutRolledBack, syncSucceeded } from '../../../../core/events/kinds.js';
import { DiscordAlerts } from '../../../../plugins/alerts/discord.js';
import {
  AlertConfigError,
  AlertRejectedError,
  AlertUnavailableError,
} from '../../../../plugins/alerts/errors.js';
import { parseRetryAfter } from '../../../../plugins/alerts/http.js';
import { TeamsAlerts } from '../../../../plugins/alerts/msteams.js';
import { WebhookAlerts } from '../../../../plugins/alerts/webhook.js';
import { type Receiver, startReceiver } from '../../../../scripts/stack/simulators/http-receiver.js';
import { startWebhookReceiver } from '../../../fixtures/alert-receivers/webhook-receiver.js';

const s = { subject: 'shop', revision: 'abc1234def', workflowId: 'rollout/shop/abc1234' };
const rolledBack = {
  ...rolloutRolledBack(s, { metric: { name: 'error-rate', value: 0.12, threshold: '<= 0.01' }, weight: 20 }),
  link: 'http://127.0.0.1:8233/namespaces/default/workflows/rollout%2Fshop%2Fabc1234',
  at: Date.UTC(2026, 0, 1),
};
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});
async function receiver(opts?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(opts);
  receivers.push(r);
  return r;
}

describe('msteams alert plugin', () => {
  it('posts one Adaptive Card with title, message, facts and a Temporal UI action', async () => {
    const r = await receiver({ default: { status: 202 } });
    const secretUrl = `${r.url}/workflows/abc/triggers/manual/paths/invoke?sig=SECRET-SIG`;
    await new TeamsAlerts({ name: 'team', secret: secretUrl }).post(rolledBack, { idempotencyKey: 'k' });
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]?.path).toBe('/workflows/abc/triggers/manual/paths/invoke?sig=SECRET-SIG');
    const body = JSON.parse(r.requests[0]?.body ?? '{}');
    expect(body.type).toBe('message');
    const [att] = body.attachments;
    expect(att.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(att.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(att.content.body[0]).toMatchObject({ type: 'TextBlock', color: 'Attention', weight: 'Bolder' });
    expect(att.content.body[1].text).toContain('error-rate 0.12');
    expect(att.content.body[2].facts).toEqual(
      expect.arrayContaining([
        { title: 'Failed metric', value: 'error-rate' },
        { title: 'Value', value: '0.12' },
        { title: 'Threshold', value: '<= 0.01' },
        { title: 'Canary weight', value: '20%' },
      ]),
    );
    expect(att.content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in Temporal UI', url: rolledBack.link },
    ]);
  });

  it('errors name the provider and status, never the URL', async () => {
    const r = await receiver({ default: { status: 500 } });
    const err = await new TeamsAlerts({ name: 'team', secret: `${r.url}/p?sig=SECRET-SIG` })
      .post(rolledBack, { idempotencyKey: 'k' })
      .then(
        () => new Error('no error'),
        (e: unknown) => e as Error,
      );
    expect(err).toBeInstanceOf(AlertUnavailableError);
    expect(err.message).toBe('msteams provider team: HTTP 500');
    const closed = await startReceiver();
    await closed.close();
    const refused = await new TeamsAlerts({ name: 'team', secret: `${closed.url}/p?sig=SECRET-SIG` })
      .post(rolledBack, { idempotencyKey: 'k' })
      .then(
        () => new Error('no error'),
        (e: unknown) => e as Error,
      );
    expect(refused).toBeInstanceOf(AlertUnavailableError);
    expect(refused.message).toBe('msteams provider team: request failed (ECONNREFUSED)');
  });

  it('needs a URL', () => {
    expect(() => new TeamsAlerts({ name: 'team' })).toThrow(AlertConfigError);
    expect(() => new TeamsAlerts({ name: 'team', secret: 'ftp://x' })).toThrow(/http/);
  });
});

describe('discord alert plugin', () => {
  it('posts an embed coloured by severity with the facts as fields', async () => {
    const r = await receiver({ default: { status: 204 } });
    const d = new DiscordAlerts({
      name: 'chat',
      secret: `${r.url}/api/webhooks/1/TOKEN`,
      username: 'Sluice',
    });
    await d.post(rolledBack, { idempotencyKey: 'a' });
    await d.post(syncSucceeded(s), { idempotencyKey: 'b' });
    const [bad, good] = r.requests.map((q) => JSON.parse(q.body));
    expect(bad.username).toBe('Sluice');
    expect(bad.embeds).toHaveLength(1);
    expect(bad.embeds[0]).toMatchObject({
      color: 0xa30200,
      url: rolledBack.link,
      timestamp: '2026-01-01T00:00:00.000Z',
    });
    expect(bad.embeds[0].title).toContain('Rollout rolled back');
    expect(bad.embeds[0].fields).toEqual(
      expect.arrayContaining([{ name: 'Value', value: '0.12', inline: true }]),
    );
    expect(good.embeds[0].color).toBe(0x2eb886);
  });

  it('takes Retry-After from the header or the JSON body of a 429', async () => {
    const r = await receiver();
    r.script({ status: 429, body: '{"retry_after": 1.5}' }, { status: 400, body: '{"message":"bad embed"}' });
    const d = new DiscordAlerts({ name: 'chat', secret: `${r.url}/api/webhooks/1/TOKEN` });
    const limited = await d.post(rolledBack, { idempotencyKey: 'a' }).catch((e: unknown) => e);
    expect((limited as AlertUnavailableError).retryAfterMs).toBe(1500);
    const rejected = await d.post(rolledBack, { idempotencyKey: 'a' }).then(
      () => new Error('no error'),
      (e: unknown) => e as Error,
    );
    expect(rejected).toBeInstanceOf(AlertRejectedError);
    expect(rejected.message).not.toContain('TOKEN');
  });
});

describe('webhook alert plugin', () => {
  it('posts the event as JSON signed with X-Sluice-Signature, verified by the receiver', async () => {
    const key = 'hmac-key-123';
    const r = await startWebhookReceiver(key);
    receivers.push(r);
    await new WebhookAlerts({ name: 'hook', address: `${r.url}/hook`, secret: key }).post(
      { ...rolledBack, id: 'evt-1' },
      { idempotencyKey: 'evt-1/hook' },
    );
    expect(r.badSignatures).toHaveLength(0);
    expect(r.messages).toEqual([
      { key: 'evt-1/hook', event: expect.objectContaining({ type: 'rollout.rolledBack', id: 'evt-1' }) },
    ]);
    expect(r.requests[0]?.headers['x-sluice-event']).toBe('rollout.rolledBack');
    expect(r.requests[0]?.headers['x-sluice-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(r.messages[0]?.event.metric).toEqual({ name: 'error-rate', value: 0.12, threshold: '<= 0.01' });
  });

  it('is refused with another key, as a permanent error', async () => {
    const r = await startWebhookReceiver('right');
    receivers.push(r);
    const err = await new WebhookAlerts({ name: 'hook', address: r.url, secret: 'wrong' })
      .post(rolledBack, { idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertRejectedError);
    expect(r.badSignatures).toHaveLength(1);
  });

  it('needs an address', () => {
    expect(() => new WebhookAlerts({ name: 'hook', secret: 'k' })).toThrow(/address/);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, caps at 5 minutes', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.UTC(2026, 0, 1))).toBe(10_000);
    expect(parseRetryAfter('99999')).toBe(300_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('injected fetch (the worker passes its egress-guarded one)', () => {
  it('webhook, msteams and discord post through it; a permanent refusal is an AlertConfigError without the URL', async () => {
    const urls: string[] = [];
    const fetch = async (url: string) => {
      urls.push(url);
      return new Response(null, { status: 204 });
    };
    await new WebhookAlerts({ name: 'w', address: 'https://hooks.example/in' }, { fetch }).post(rolledBack, {
      idempotencyKey: 'k',
    });
    await new TeamsAlerts({ name: 't', secret: 'https://teams.example/x?sig=S' }, { fetch }).post(
      rolledBack,
      {
        idempotencyKey: 'k',
      },
    );
    await new DiscordAlerts(
      { name: 'd', secret: 'https://discord.example/api/webhooks/1/T' },
      { fetch },
    ).post(rolledBack, { idempotencyKey: 'k' });
    expect(urls).toEqual([
      'https://hooks.example/in',
      'https://teams.example/x?sig=S',
      'https://discord.example/api/webhooks/1/T',
    ]);
    const refusal = Object.assign(new Error('egress refused: 10.0.0.5 (private, RFC 1918), which …'), {
      permanent: true,
    });
    const err = await new DiscordAlerts(
      { name: 'd', secret: 'http://10.0.0.5/api/webhooks/1/SECRET-TOKEN' },
      { fetch: async () => Promise.reject(refusal) },
    )
      .post(rolledBack, { idempotencyKey: 'k' })
      .then(
        () => new Error('no error'),
        (e: unknown) => e as Error,
      );
    expect(err).toBeInstanceOf(AlertConfigError);
    expect(err.message).toBe('discord provider d: egress refused: 10.0.0.5 (private, RFC 1918), which …');
  });
});
