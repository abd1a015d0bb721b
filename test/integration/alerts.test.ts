import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertActivities, type DeliverAlertInput } from '../../activities/alerts/deliver.js';
import { SecretStore } from '../../activities/secrets/secret-store.js';
import {
  rolloutPromoted,
  rolloutRolledBack,
  rolloutStarted,
  rolloutStepAdvanced,
  syncDegraded,
} from '../../core/events/kinds.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { type Receiver, startReceiver } from '../../scripts/stack/simulators/http-receiver.js';
import { type FakeSlack, startFakeSlack } from '../../scripts/stack/simulators/slack-api.js';
import type { AlertRoute } from '../../workflows/shared/alerts.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fixtures/alert-receivers/webhook-receiver.js';
import { openSecretAccess, testCaller } from '../helpers/trust.js';
import { openTestTrust } from './helpers/test-worker.js';
import type { AlertScenarioInput, alertScenarioWorkflow } from './workflows-alerts/index.js';

// Secrets the tests look for afterwards in every history and in the worker's log.
const SLACK_TOKEN = `xoxb-${randomUUID()}`;
const HMAC_KEY = `hmac-${randomUUID()}`;
const TEAMS_SIG = `sig-${randomUUID()}`;
const DISCORD_TOKEN = `dtok-${randomUUID()}`;
const SLACK_HOOK_TOKEN = `hook${randomUUID().replaceAll('-', '')}`;

const config = loadStackConfig();
const logs: unknown[] = [];
const workflowIds: string[] = [];
const fast = { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumAttempts: 4 };
const s = (rev: string) => ({ subject: 'shop', revision: rev, workflowId: 'rollout/shop/x' });

let slack: FakeSlack;
let teams: Receiver;
let discord: Receiver;
let slackHook: Receiver;
let hook: WebhookReceiver;
let worker: Worker;
let running: Promise<void>;
let client: Client;
let connection: Connection;
let nativeConnection: NativeConnection;
let taskQueue: string;
const secretStore = () =>
  new SecretStore([
    {
      description: 'test secrets',
      lookup: async (name): Promise<Record<string, string> | undefined> =>
        (
          ({
            'slack-bot': { token: SLACK_TOKEN },
            teams: { url: `${teams.url}/workflows/1/triggers/manual/paths/invoke?sig=${TEAMS_SIG}` },
            discord: { url: `${discord.url}/api/webhooks/42/${DISCORD_TOKEN}` },
            hook: { hmac: HMAC_KEY },
            'slack-hook': { address: `${slackHook.url}/services/T0/B0/${SLACK_HOOK_TOKEN}` },
          }) as Record<string, Record<string, string>>
        )[name],
    },
  ]);

const slackRoute = (severity: AlertRoute['severity'] = 'info'): AlertRoute => ({
  alert: 'slack',
  severity,
  caller: testCaller,
  provider: {
    name: 'ops-slack',
    spec: { type: 'slack', channel: 'C0ALERTS', secretRef: { name: 'slack-bot', key: 'token' } },
  },
});
// A Slack incoming webhook (mode webhook, as converted Flagger Slack providers are).
const slackHookRoute: AlertRoute = {
  alert: 'slack-hook',
  severity: 'info',
  caller: testCaller,
  provider: {
    name: 'ops-slack-hook',
    spec: { type: 'slack', mode: 'webhook', secretRef: { name: 'slack-hook', key: 'address' } },
  },
};
const teamsRoute: AlertRoute = {
  alert: 'teams',
  severity: 'info',
  caller: testCaller,
  provider: { name: 'ops-teams', spec: { type: 'msteams', secretRef: { name: 'teams', key: 'url' } } },
};
const discordRoute = (severity: AlertRoute['severity']): AlertRoute => ({
  alert: 'discord',
  severity,
  caller: testCaller,
  provider: { name: 'ops-discord', spec: { type: 'discord', secretRef: { name: 'discord', key: 'url' } } },
});
const hookRoute = (address: string, name = 'ops-hook'): AlertRoute => ({
  alert: 'hook',
  severity: 'info',
  caller: testCaller,
  provider: { name, spec: { type: 'webhook', address, secretRef: { name: 'hook', key: 'hmac' } } },
});

async function scenario(name: string, input: AlertScenarioInput) {
  const workflowId = `alerts-test/${name}/${randomUUID().slice(0, 8)}`;
  workflowIds.push(workflowId);
  return client.workflow.execute<typeof alertScenarioWorkflow>('alertScenarioWorkflow', {
    taskQueue,
    workflowId,
    args: [input],
    workflowExecutionTimeout: '3 minutes',
  });
}

/** History as text, with payload bytes decoded so a secret inside a payload would show. */
async function historyText(workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  // fetchHistory gives payload bytes as base64 strings (`data`); decode them (JSON ones to objects).
  return JSON.stringify(history, (k, v: unknown) => {
    if (k !== 'data' || typeof v !== 'string') return v;
    const text = Buffer.from(v, 'base64').toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  });
}

beforeAll(async () => {
  // Capture everything the SDK logs (worker, workflow and activity loggers) to search it for secrets.
  Runtime.install({ logger: new DefaultLogger('DEBUG', (entry) => logs.push(entry)) });
  slack = await startFakeSlack({ token: SLACK_TOKEN });
  teams = await startReceiver({ default: { status: 202 } });
  discord = await startReceiver({ default: { status: 204 } });
  slackHook = await startReceiver({ default: { status: 200, body: 'ok' } });
  hook = await startWebhookReceiver(HMAC_KEY);
  const real = alertActivities({
    secrets: openSecretAccess(secretStore()),
    temporalUiUrl: `http://127.0.0.1:${config.ports.temporalUi}`,
    plugins: { slackApiUrl: slack.url, timeoutMs: 5000 },
    egress: openTestTrust.egress, // the Teams, Discord and webhook receivers listen on loopback
  });
  const address = `127.0.0.1:${config.ports.temporal}`;
  taskQueue = `alerts-${Date.now().toString(36)}`;
  nativeConnection = await NativeConnection.connect({ address });
  worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./workflows-alerts/index.ts', import.meta.url)),
    activities: {
      // The real activity; an event with fields.crashAfterPost fails its first attempt *after* posting,
      // as a worker that dies before reporting completion would.
      async deliverAlert(input: DeliverAlertInput) {
        const out = await real.deliverAlert(input);
        if (input.event.fields?.crashAfterPost && Context.current().info.attempt === 1)
          throw new Error('simulated worker crash after the post');
        return out;
      },
    },
  });
  running = worker.run();
  connection = await Connection.connect({ address });
  client = new Client({ connection });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await nativeConnection?.close();
  for (const r of [slack, teams, discord, slackHook, hook]) await r?.close();
});

describe('alerts through a real worker and Temporal', () => {
  it('a rollout that promotes posts one Slack thread with every step, and every provider gets its payload', async () => {
    const rev = 'aaaa111';
    const { results, state } = await scenario('promote', {
      routes: [slackRoute(), slackHookRoute, teamsRoute, discordRoute('warn'), hookRoute(hook.url)],
      events: [
        rolloutStarted(s(rev), 'canary'),
        rolloutStepAdvanced(s(rev), { weight: 10, index: 1, of: 2 }),
        rolloutStepAdvanced(s(rev), { weight: 50, index: 2, of: 2 }),
        rolloutPromoted(s(rev)),
      ],
    });
    expect(results.map((r) => r.failed)).toEqual([[], [], [], []]);
    // The incoming webhook: one message per event (no threads), each to the URL the secret holds.
    const hooked = slackHook.requests.filter((r) => r.body.includes(rev));
    expect(hooked.map((r) => [r.method, r.path])).toEqual(
      Array(4).fill(['POST', `/services/T0/B0/${SLACK_HOOK_TOKEN}`]),
    );
    const promoted = JSON.parse(hooked[3]?.body ?? '{}');
    expect(Object.keys(promoted).sort()).toEqual(['blocks', 'text', 'unfurl_links']);
    expect(promoted.text).toMatch(/^✅ Rollout promoted · shop: /);
    expect(promoted.blocks.map((b: { type: string }) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'context',
    ]);
    expect(JSON.stringify(promoted.blocks)).toContain('/namespaces/default/workflows/rollout%2Fshop%2Fx');
    const parents = slack
      .parents('C0ALERTS')
      .filter((m) => m.text.includes(rev) || m.blocks.some((b) => JSON.stringify(b).includes(rev)));
    expect(parents).toHaveLength(1);
    const parent = parents[0] as (typeof parents)[number];
    const replies = slack.replies('C0ALERTS', parent.ts);
    expect(replies).toHaveLength(3);
    expect(replies.every((r) => r.thread_ts === parent.ts)).toBe(true);
    expect(replies.map((r) => r.metadata?.event_payload.type)).toEqual([
      'rollout.stepAdvanced',
      'rollout.stepAdvanced',
      'rollout.promoted',
    ]);
    expect(parent.updates).toBe(1);
    expect(parent.text).toContain('Rollout promoted');
    expect(JSON.stringify(parent.blocks)).toContain('/namespaces/default/workflows/rollout%2Fshop%2Fx');
    expect(slack.calls.filter((c) => c.authorization !== `Bearer ${SLACK_TOKEN}`)).toEqual([]);
    expect(state.threads).toEqual({});
    // Teams: an Adaptive Card per event; Discord (warn and above): nothing; webhook: four signed events.
    expect(teams.accepted()).toHaveLength(4);
    expect(JSON.parse(teams.accepted()[3]?.body ?? '{}').attachments[0].content.type).toBe('AdaptiveCard');
    expect(discord.requests).toHaveLength(0);
    const mine = hook.messages.filter((m) => m.event.revision === rev);
    expect(mine.map((m) => m.event.type)).toEqual([
      'rollout.started',
      'rollout.stepAdvanced',
      'rollout.stepAdvanced',
      'rollout.promoted',
    ]);
    expect(hook.badSignatures).toHaveLength(0);
  });

  it('a rollout that rolls back posts an error naming the failed metric and its value', async () => {
    const rev = 'bbbb222';
    const before = discord.requests.length;
    await scenario('rollback', {
      routes: [slackRoute(), discordRoute('error')],
      events: [
        rolloutStarted(s(rev)),
        rolloutStepAdvanced(s(rev), { weight: 20 }),
        rolloutRolledBack(s(rev), {
          metric: { name: 'error-rate', value: 0.12, threshold: '<= 0.01' },
          weight: 20,
        }),
      ],
    });
    const parent = slack.parents('C0ALERTS').find((m) => JSON.stringify(m.blocks).includes(rev));
    expect(parent).toBeDefined();
    const last = slack.replies('C0ALERTS', parent?.ts ?? '').at(-1);
    expect(last?.text).toContain('rolled back: error-rate 0.12 (threshold &lt;= 0.01)');
    expect(parent?.text).toContain('Rollout rolled back');
    const posted = discord.requests.slice(before).map((r) => JSON.parse(r.body));
    expect(posted).toHaveLength(1);
    expect(posted[0].embeds[0].color).toBe(0xa30200);
    expect(posted[0].embeds[0].description).toContain('error-rate 0.12');
  });

  it('a receiver answering 429 (Retry-After), then 500, then 200 gets exactly one message', async () => {
    const r = await startWebhookReceiver(HMAC_KEY);
    try {
      r.script({ status: 429, headers: { 'retry-after': '1' } }, { status: 500 });
      const { results } = await scenario('retry', {
        routes: [hookRoute(r.url, 'flaky')],
        events: [syncDegraded(s('cccc333'), 'Deployment shop: 1/3 ready')],
        retry: fast,
      });
      expect(results[0]?.delivered).toEqual(['flaky']);
      expect(r.requests.map((q) => q.status)).toEqual([429, 500, 200]);
      expect(r.messages).toHaveLength(1);
      // One key for all attempts.
      expect(new Set(r.requests.map((q) => q.headers['idempotency-key'])).size).toBe(1);
      // The second attempt waited for Retry-After (1 s), not the 200 ms backoff.
      const [a, b] = r.requests;
      expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(950);
    } finally {
      await r.close();
    }
  });

  it('a retried activity after a crash posts to Slack once; the webhook receiver sees one key twice', async () => {
    const rev = 'dddd444';
    const r = await startWebhookReceiver(HMAC_KEY);
    try {
      const posts = () => slack.calls.filter((c) => c.method === 'chat.postMessage').length;
      const before = posts();
      const { results } = await scenario('crash', {
        routes: [slackRoute(), hookRoute(r.url, 'keyed')],
        events: [{ ...syncDegraded(s(rev), 'crash test'), fields: { crashAfterPost: true } }],
        retry: fast,
      });
      expect(results[0]?.delivered.sort()).toEqual(['keyed', 'ops-slack']);
      expect(posts() - before).toBe(1);
      expect(slack.messages.filter((m) => m.text.includes('crash test'))).toHaveLength(1);
      expect(r.requests).toHaveLength(2);
      expect(r.requests[0]?.headers['idempotency-key']).toBe(r.requests[1]?.headers['idempotency-key']);
      expect(r.messages).toHaveLength(1);
    } finally {
      await r.close();
    }
  });

  it('collapses identical events for the same app within the window', async () => {
    const rev = 'eeee555';
    const before = teams.requests.length;
    const degraded = syncDegraded(s(rev), 'Deployment shop: 0/3 ready');
    const { results, state } = await scenario('collapse', {
      routes: [teamsRoute],
      events: [degraded, degraded, degraded, syncDegraded(s(rev), 'Deployment shop: 1/3 ready')],
      collapseWindowMs: 60_000,
    });
    expect(results.map((r) => r.collapsed)).toEqual([false, true, true, false]);
    expect(teams.requests.length - before).toBe(2);
    expect(
      Object.values(state.recent)
        .map((v) => v.suppressed)
        .sort(),
    ).toEqual([0, 2]);
  });

  it('a provider failing forever does not fail the workflow, and the others still get the event', async () => {
    const broken = await startReceiver({ default: { status: 503 } });
    try {
      const before = teams.requests.length;
      const { results } = await scenario('broken', {
        routes: [hookRoute(broken.url, 'broken'), teamsRoute],
        events: [syncDegraded(s('ffff666'), 'still degraded')],
        retry: { ...fast, maximumAttempts: 3 },
      });
      expect(results[0]).toMatchObject({ failed: ['broken'], delivered: ['ops-teams'] });
      expect(broken.requests).toHaveLength(3);
      expect(teams.requests.length - before).toBe(1);
    } finally {
      await broken.close();
    }
  });

  it('no token, key or webhook URL appears in any workflow history or in the worker log', async () => {
    const secrets = [
      SLACK_TOKEN,
      HMAC_KEY,
      TEAMS_SIG,
      DISCORD_TOKEN,
      SLACK_HOOK_TOKEN,
      `${discord.url}/api/webhooks`,
      `${teams.url}/workflows`,
    ];
    expect(workflowIds.length).toBeGreaterThanOrEqual(6);
    for (const id of workflowIds) {
      const text = await historyText(id);
      // Decoding works: the secretRef names are there.
      expect(text).toContain('"secretRef":{"name":');
      for (const secret of secrets) expect(text.includes(secret), `${secret} in ${id} history`).toBe(false);
    }
    // inspect, not JSON: log meta holds Errors (message, stack, cause) and bigint timestamps.
    const logText = inspect(logs, {
      depth: 12,
      maxArrayLength: null,
      maxStringLength: null,
      breakLength: Number.POSITIVE_INFINITY,
    });
    expect(logText).toContain('alert delivered');
    expect(logText).toContain('alert not delivered; carrying on');
    expect(logText).toContain('webhook provider broken: HTTP 503');
    for (const secret of secrets) expect(logText.includes(secret), `${secret} in the worker log`).toBe(false);
  });
});
