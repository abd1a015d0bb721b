import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AlertProviderRef, alertActivities } from '../../../../activities/alerts/deliver.js';
import { SecretStore } from '../../../../activities/secrets/secret-store.js';
import { ProjectRegistry } from '../../../../activities/trust/projects.js';
import { SecretAccess } from '../../../../activities/trust/secret-access.js';
import type { SluiceEvent } from '../../../../core/events/event.js';
import { rolloutStarted } from '../../../../core/events/kinds.js';
import { type Receiver, startReceiver } from '../../../../scripts/stack/simulators/http-receiver.js';
import { startWebhookReceiver } from '../../../fixtures/alert-receivers/webhook-receiver.js';
import { openSecretAccess, testCaller } from '../../../helpers/trust.js';

const secretsOf = (values: Record<string, Record<string, string>>) =>
  openSecretAccess(new SecretStore([{ description: 'test secrets', lookup: async (name) => values[name] }]));
const event: SluiceEvent & { id: string } = {
  ...rolloutStarted({ subject: 'shop', revision: 'abc1234', workflowId: 'rollout/shop/abc1234' }),
  id: 'rollout/shop/abc1234:run:1',
};
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

// The receivers listen on loopback, which the default egress policy refuses (tested in test/unit/activities/egress).
const loopback = { allow: ['127.0.0.1/32'], maxResponseBytes: 1024 * 1024 };

async function run(deps: Parameters<typeof alertActivities>[0], provider: AlertProviderRef) {
  const env = new MockActivityEnvironment({ namespace: 'default' });
  return env.run(alertActivities({ egress: loopback, ...deps }).deliverAlert, {
    event,
    provider,
    caller: testCaller,
  });
}

describe('deliverAlert activity', () => {
  it('resolves the secretRef, signs, links to the Temporal UI and keys the post by event and provider', async () => {
    const r = await startWebhookReceiver('k3y');
    receivers.push(r);
    const out = await run(
      { secrets: secretsOf({ hook: { hmac: 'k3y' } }), temporalUiUrl: 'http://127.0.0.1:8233/' },
      { name: 'hook', spec: { type: 'webhook', address: r.url, secretRef: { name: 'hook', key: 'hmac' } } },
    );
    expect(out).toEqual({ delivered: true, duplicate: false });
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]?.key).toBe(`${event.id}/hook`);
    expect(r.messages[0]?.event.link).toBe(
      'http://127.0.0.1:8233/namespaces/default/workflows/rollout%2Fshop%2Fabc1234',
    );
  });

  it('fails a 429 attempt as retryable with Retry-After as the next delay, and a 4xx for good', async () => {
    const r = await startReceiver();
    receivers.push(r);
    r.script({ status: 429, headers: { 'retry-after': '3' } }, { status: 404 });
    const provider: AlertProviderRef = {
      name: 'chat',
      spec: { type: 'discord', secretRef: { name: 'd', key: 'url' } },
    };
    const deps = { secrets: secretsOf({ d: { url: `${r.url}/api/webhooks/1/SECRET-TOKEN` } }) };
    const limited = (await run(deps, provider).catch((e: unknown) => e)) as ApplicationFailure;
    expect(limited).toBeInstanceOf(ApplicationFailure);
    expect(limited).toMatchObject({
      type: 'AlertUnavailableError',
      nonRetryable: false,
      nextRetryDelay: 3000,
    });
    const gone = (await run(deps, provider).catch((e: unknown) => e)) as ApplicationFailure;
    expect(gone).toMatchObject({ type: 'AlertRejectedError', nonRetryable: true });
    expect(`${limited.message}${gone.message}`).not.toContain('SECRET-TOKEN');
  });

  it('refuses an AlertProvider address the egress policy denies, for good, without quoting the URL', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const env = new MockActivityEnvironment({ namespace: 'default' });
    const provider: AlertProviderRef = {
      name: 'chat',
      spec: { type: 'discord', secretRef: { name: 'd', key: 'url' } },
    };
    const secrets = secretsOf({ d: { url: `${r.url}/api/webhooks/1/SECRET-TOKEN` } });
    // No egress given: the default, public addresses only.
    const err = (await env
      .run(alertActivities({ secrets }).deliverAlert, { event, provider, caller: testCaller })
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toMatchObject({ type: 'AlertConfigError', nonRetryable: true });
    expect(err.message).toMatch(
      /^discord provider chat: egress refused: 127\.0\.0\.1 \(loopback\), which the egress policy denies; .*egress\.allow/,
    );
    expect(err.message).not.toContain('SECRET-TOKEN');
    expect(r.requests).toHaveLength(0);
  });

  it('rejects a missing secret, bad config and an unknown type without retrying', async () => {
    const deps = { secrets: secretsOf({}) };
    const missing = await run(deps, {
      name: 'ops',
      spec: { type: 'slack', channel: 'C1', secretRef: { name: 'nope', key: 'token' } },
    }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: 'SecretNotFoundError', nonRetryable: true });
    const noChannel = await run(deps, { name: 'ops', spec: { type: 'slack', address: 'https://x' } }).catch(
      (e: unknown) => e,
    );
    expect(noChannel).toMatchObject({ type: 'AlertConfigError', nonRetryable: true });
    const unknown = await run(deps, {
      name: 'ops',
      spec: { type: 'teams' as 'msteams', address: 'https://x' },
    }).catch((e: unknown) => e as Error);
    expect(unknown).toMatchObject({ type: 'UnknownAlertProviderError', nonRetryable: true });
    expect((unknown as Error).message).toContain('did you mean');
  });
});

describe('deliverAlert to a Slack incoming webhook (mode webhook)', () => {
  // Secrets granted to every Project, each only towards the hosts an administrator listed.
  const granted = (values: Record<string, Record<string, string>>, hosts: Record<string, string[]>) =>
    new SecretAccess(
      new SecretStore([{ description: 'test secrets', lookup: async (name) => values[name] }]),
      Object.entries(hosts).map(([name, h]) => ({ name, projects: ['*'], hosts: h })),
      new ProjectRegistry({ projects: [], repositories: [] }),
    );
  const webhookProvider: AlertProviderRef = {
    name: 'ops',
    spec: { type: 'slack', mode: 'webhook', secretRef: { name: 'slack-hook', key: 'address' } },
  };

  it('sends the secret URL only where its grant allows, and posts the event there', async () => {
    const r = await startReceiver({ default: { status: 200, body: 'ok' } });
    receivers.push(r);
    const url = `${r.url}/services/T0/B0/SECRET-TOKEN`;
    const secrets = granted({ 'slack-hook': { address: url } }, { 'slack-hook': [new URL(r.url).host] });
    expect(await run({ secrets }, webhookProvider)).toEqual({ delivered: true, duplicate: false });
    expect(r.requests.map((q) => q.path)).toEqual(['/services/T0/B0/SECRET-TOKEN']);
    expect(JSON.parse(r.requests[0]?.body ?? '{}').text).toContain('shop');
    // The same URL held under a grant for hooks.slack.com only is refused before anything is sent.
    const elsewhere = granted({ 'slack-hook': { address: url } }, { 'slack-hook': ['hooks.slack.com'] });
    const err = (await run({ secrets: elsewhere }, webhookProvider).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ nonRetryable: true });
    expect(err.message).toContain('may not be sent to 127.0.0.1');
    expect(err.message).not.toContain('SECRET-TOKEN');
    expect(r.requests).toHaveLength(1);
  });

  it('attack: a pipeline file switching a bot-token provider to mode webhook cannot send the token anywhere', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const secrets = granted(
      { 'slack-bot': { token: 'xoxb-SECRET-BOT-TOKEN' } },
      { 'slack-bot': ['slack.com'] },
    );
    const stolen: AlertProviderRef = {
      name: 'ops',
      spec: { type: 'slack', mode: 'webhook', secretRef: { name: 'slack-bot', key: 'token' } },
    };
    const err = (await run({ secrets }, stolen).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ nonRetryable: true });
    expect(err.message).toContain('may not be sent to a value that is not a URL');
    expect(err.message).not.toContain('SECRET-BOT-TOKEN');
    // And an address the pipeline file writes is never where a webhook-mode post goes.
    const withAddress: AlertProviderRef = {
      name: 'ops',
      spec: { ...webhookProvider.spec, address: r.url },
    };
    const url = granted(
      { 'slack-hook': { address: 'https://hooks.slack.com/services/T/B/X' } },
      { 'slack-hook': ['*'] },
    );
    const refused = (await run({ secrets: url }, withAddress).catch((e: unknown) => e)) as Error;
    expect(refused).toMatchObject({ type: 'AlertConfigError', nonRetryable: true });
    expect(r.requests).toHaveLength(0);
  });

  it('refuses, for good, a secret URL the egress policy denies (a private address), without quoting it', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const secrets = granted(
      { 'slack-hook': { address: `${r.url}/services/T/B/SECRET-TOKEN` } },
      { 'slack-hook': ['*'] },
    );
    const env = new MockActivityEnvironment({ namespace: 'default' });
    // No egress given: the default, public addresses only.
    const err = (await env
      .run(alertActivities({ secrets }).deliverAlert, {
        event,
        provider: webhookProvider,
        caller: testCaller,
      })
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toMatchObject({ type: 'AlertConfigError', nonRetryable: true });
    expect(err.message).toMatch(/^slack provider ops \(webhook\): egress refused: 127\.0\.0\.1 \(loopback\)/);
    expect(err.message).not.toContain('SECRET-TOKEN');
    expect(r.requests).toHaveLength(0);
  });
});
