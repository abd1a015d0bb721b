import { afterEach, describe, expect, it } from 'vitest';
import { rolloutRolledBack } from '../../../../core/events/kinds.js';
import {
  AlertConfigError,
  AlertRejectedError,
  AlertUnavailableError,
} from '../../../../plugins/alerts/errors.js';
import { createAlertPlugin } from '../../../../plugins/alerts/factory.js';
import { slackBlocks } from '../../../../plugins/alerts/slack.js';
import { SlackWebhookAlerts } from '../../../../plugins/alerts/slack-webhook.js';
import { type Receiver, startReceiver } from '../../../../scripts/stack/simulators/http-receiver.js';

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
// What Slack's incoming webhook path looks like: the last segment is the token.
const hookPath = '/services/T0000/B0000/SECRET-TOKEN';

describe('slack alert plugin, incoming webhook mode', () => {
  it('is what the factory makes for mode webhook, and posts the exact payload once to the secret URL', async () => {
    const r = await receiver({ default: { status: 200, body: 'ok' } });
    const plugin = createAlertPlugin('slack', {
      name: 'ops',
      mode: 'webhook',
      username: 'sluice',
      channel: '#releases',
      secret: `${r.url}${hookPath}`,
    });
    expect(plugin).toBeInstanceOf(SlackWebhookAlerts);
    expect(await plugin.post(rolledBack, { idempotencyKey: 'k' })).toEqual({ duplicate: false });
    expect(r.requests).toHaveLength(1);
    const [req] = r.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(hookPath);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['user-agent']).toMatch(/@slack:webhook\//);
    expect(JSON.parse(req?.body ?? '{}')).toEqual({
      text: '🚨 Rollout rolled back · shop: rollout of shop abc1234 rolled back: error-rate 0.12 (threshold &lt;= 0.01)',
      blocks: slackBlocks(rolledBack),
      unfurl_links: false,
      username: 'sluice',
      channel: '#releases',
    });
    // The blocks are the Web API mode's: header, message, facts, Temporal UI link.
    const blocks = JSON.parse(req?.body ?? '{}').blocks;
    expect(blocks[0]).toMatchObject({ type: 'header' });
    expect(JSON.stringify(blocks)).toContain('Open in Temporal UI');
  });

  it('maps 5xx to retryable, 4xx to permanent with Slack code, and never quotes the URL', async () => {
    const r = await receiver();
    r.script({ status: 503 }, { status: 404, body: 'no_service' }, { status: 400, body: 'invalid_payload' });
    const plugin = new SlackWebhookAlerts({ name: 'ops', mode: 'webhook', secret: `${r.url}${hookPath}` });
    const down = await plugin.post(rolledBack, { idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(AlertUnavailableError);
    const gone = await plugin.post(rolledBack, { idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(AlertRejectedError);
    expect((gone as Error).message).toBe('slack provider ops (webhook): HTTP 404: no_service');
    const bad = await plugin.post(rolledBack, { idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect((bad as Error).message).toBe('slack provider ops (webhook): HTTP 400: invalid_payload');
    expect(`${down}${gone}${bad}`).not.toContain('SECRET-TOKEN');
    expect(r.requests).toHaveLength(3);
  });

  it('is unavailable (retryable) when nothing listens, without quoting the URL', async () => {
    const r = await receiver();
    const url = `${r.url}${hookPath}`;
    await r.close();
    receivers.splice(0);
    const err = await new SlackWebhookAlerts({ name: 'ops', mode: 'webhook', secret: url })
      .post(rolledBack, { idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertUnavailableError);
    expect((err as Error).message).toBe('slack provider ops (webhook): request failed (ECONNREFUSED)');
  });

  it('refuses a URL in address, a missing secret and a secret that is not a URL (a bot token), quoting neither', () => {
    const make = (config: Partial<Parameters<typeof createAlertPlugin>[1]>) => () =>
      createAlertPlugin('slack', { name: 'ops', mode: 'webhook', ...config });
    expect(make({ address: `https://hooks.slack.com${hookPath}`, secret: 'x' })).toThrow(
      /a webhook URL carries its token: put it in a secret/,
    );
    expect(make({})).toThrow(AlertConfigError);
    let message = '';
    try {
      make({ secret: 'xoxb-SECRET-BOT-TOKEN' })();
    } catch (e) {
      message = (e as Error).message;
      expect(e).toBeInstanceOf(AlertConfigError);
    }
    expect(message).toBe('slack provider ops (webhook): the URL is not a valid URL');
  });

  it("posts through the worker's fetch (the egress guard), whose refusal is permanent", async () => {
    const seen: string[] = [];
    const refusing = async (url: string) => {
      seen.push(new URL(url).host);
      throw Object.assign(new Error('egress refused: 169.254.169.254 is link-local'), { permanent: true });
    };
    const err = await new SlackWebhookAlerts(
      { name: 'ops', mode: 'webhook', secret: `http://169.254.169.254${hookPath}` },
      { fetch: refusing },
    )
      .post(rolledBack, { idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(seen).toEqual(['169.254.169.254']);
    expect(err).toBeInstanceOf(AlertConfigError);
    expect((err as Error).message).not.toContain('SECRET-TOKEN');
  });
});
