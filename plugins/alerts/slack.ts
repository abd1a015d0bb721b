import {
  type ChatPostMessageArguments,
  type ChatUpdateArguments,
  type Logger,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { type SluiceEvent, terminalEventTypes } from '../../core/events/event.js';
import { AlertConfigError, AlertRejectedError, AlertUnavailableError } from './errors.js';
import { clip, eventFacts, eventTitle } from './format.js';
import { retryableStatus } from './http.js';
import type {
  AlertPlugin,
  AlertPluginConfig,
  AlertPluginOptions,
  PostOptions,
  PostResult,
  ThreadRef,
} from './provider.js';

/** Message metadata event type Sluice tags its messages with; the payload's `id` is the idempotency key. */
export const SLACK_METADATA_EVENT = 'sluice_event';

// Slack platform errors worth retrying; every other `ok: false` error (invalid_auth, channel_not_found, …) is permanent.
const transientSlackErrors = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

type Block = Record<string, unknown>;

/**
 * Text as Slack shows it literally: `&`, `<` and `>` escaped as Slack's docs ask, so a commit message or a
 * suspend reason reading `<!channel>` or `<https://evil|docs>` cannot ping a channel or hide a link.
 */
export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Block Kit blocks for an event: header, message, facts and a link to the Temporal UI. */
export function slackBlocks(event: SluiceEvent): Block[] {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(eventTitle(event), 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(slackEscape(event.message), 3000) } },
  ];
  const facts = eventFacts(event).slice(0, 10);
  blocks.push({
    type: 'section',
    fields: facts.map(([k, v]) => ({
      type: 'mrkdwn',
      text: clip(`*${k}*\n${slackEscape(String(v))}`, 2000),
    })),
  });
  const context = [
    event.link ? `<${event.link}|Open in Temporal UI>` : undefined,
    event.workflowId && `\`${event.workflowId}\``,
  ]
    .filter((x): x is string => Boolean(x))
    .join(' · ');
  if (context) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(context, 3000) }] });
  return blocks;
}

/** The blocks a rollout thread's parent is rewritten to when the rollout ends. */
export function slackParentBlocks(final: SluiceEvent): Block[] {
  const outcome = { info: 'succeeded', warn: 'ended with warnings', error: 'failed' }[final.severity];
  return [
    { type: 'header', text: { type: 'plain_text', text: clip(eventTitle(final), 150), emoji: true } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`*Final state:* ${slackEscape(final.message)}\nEvery step is in this thread.`, 3000),
      },
    },
    ...slackBlocks(final).slice(2),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `rollout ${outcome}` }] },
  ];
}

// WebClient logs through this: debug/info are dropped, warnings carry no token (the client redacts them).
const quietLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

/**
 * Posts through the Slack Web API (`chat.postMessage`) as a bot (token from secretRef, scopes
 * chat:write and channels:history / groups:history). A rollout's first event is the parent of a
 * thread; later events reply in it and a terminal event also rewrites the parent (`chat.update`).
 * Messages carry metadata with the idempotency key, which is looked up before posting.
 */
export class SlackAlerts implements AlertPlugin {
  readonly type = 'slack';
  private readonly client: WebClient;
  private readonly channel: string;
  private readonly what: string;

  constructor(
    private readonly config: AlertPluginConfig,
    opts: AlertPluginOptions = {},
  ) {
    this.what = `slack provider ${config.name}`;
    if (!config.channel)
      throw new AlertConfigError(`${this.what}: set channel (a channel id such as C0123ABCD, or #name)`);
    if (!config.secret)
      throw new AlertConfigError(`${this.what}: set secretRef to the secret holding the bot token`);
    this.channel = config.channel;
    this.client = new WebClient(config.secret, {
      ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
      // Retries belong to Temporal's retry policy (durable, visible); the client must not wait or retry.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: opts.timeoutMs ?? 10_000,
      allowAbsoluteUrls: false,
      logger: quietLogger,
    });
  }

  async post(event: SluiceEvent, opts: PostOptions): Promise<PostResult> {
    const thread = opts.thread;
    const posted = await this.call(() => this.findPosted(opts.idempotencyKey, thread, event.at));
    let ts = posted;
    let channel = thread?.channel ?? this.channel;
    if (ts === undefined) {
      const args = {
        channel,
        text: clip(slackEscape(`${eventTitle(event)}: ${event.message}`), 3000),
        blocks: slackBlocks(event),
        metadata: {
          event_type: SLACK_METADATA_EVENT,
          event_payload: { id: opts.idempotencyKey, type: event.type },
        },
        unfurl_links: false,
        ...(thread ? { thread_ts: thread.ts } : {}),
        ...(this.config.username ? { username: this.config.username } : {}),
      } as unknown as ChatPostMessageArguments;
      const res = await this.call(() => this.client.chat.postMessage(args));
      ts = res.ts ?? '';
      channel = res.channel ?? channel;
    }
    if (thread && terminalEventTypes.includes(event.type)) {
      // Rewriting the parent is idempotent, so it runs again on a retry whether or not the reply was new.
      const update = {
        channel: thread.channel,
        ts: thread.ts,
        text: clip(slackEscape(`${eventTitle(event)}: ${event.message}`), 3000),
        blocks: slackParentBlocks(event),
      } as unknown as ChatUpdateArguments;
      await this.call(() => this.client.chat.update(update));
    }
    return { duplicate: posted !== undefined, thread: thread ?? { channel, ts } };
  }

  // The ts of a message already carrying this idempotency key: the thread's replies, or the channel's
  // recent history for a top-level message. Without the history scope (or with a channel given by
  // name, which conversations.history does not take) the check is skipped: at-least-once.
  private async findPosted(key: string, thread: ThreadRef | undefined, at: number | undefined) {
    try {
      const res = thread
        ? await this.client.conversations.replies({
            channel: thread.channel,
            ts: thread.ts,
            include_all_metadata: true,
            limit: 200,
          })
        : await this.client.conversations.history({
            channel: this.channel,
            include_all_metadata: true,
            limit: 100,
            ...(at !== undefined ? { oldest: String(Math.floor(at / 1000) - 60) } : {}),
          });
      const found = (res.messages ?? []).find((m) => {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { id?: unknown } } }).metadata;
        return meta?.event_type === SLACK_METADATA_EVENT && meta.event_payload?.id === key;
      });
      return found?.ts;
    } catch (err) {
      if (err instanceof WebAPIPlatformError && !transientSlackErrors.has(err.data.error)) return undefined;
      throw err;
    }
  }

  // Runs one Web API call, turning the client's errors into retryable or permanent alert errors.
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof WebAPIRateLimitedError)
        throw new AlertUnavailableError(`${this.what}: rate limited`, err.retryAfter * 1000);
      if (err instanceof WebAPIHTTPError) {
        if (retryableStatus(err.statusCode))
          throw new AlertUnavailableError(`${this.what}: HTTP ${err.statusCode}`);
        throw new AlertRejectedError(`${this.what}: HTTP ${err.statusCode}`);
      }
      if (err instanceof WebAPIPlatformError) {
        const code = err.data.error;
        if (transientSlackErrors.has(code)) throw new AlertUnavailableError(`${this.what}: ${code}`);
        throw new AlertRejectedError(`${this.what}: Slack answered ${code}`);
      }
      if (err instanceof WebAPIRequestError) {
        const cause = err.original as { cause?: { code?: string }; name?: string };
        throw new AlertUnavailableError(
          `${this.what}: request failed (${cause.cause?.code ?? cause.name ?? 'network error'})`,
        );
      }
      throw err;
    }
  }
}
