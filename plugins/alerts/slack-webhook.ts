import {
  IncomingWebhook,
  IncomingWebhookHTTPError,
  IncomingWebhookRequestError,
  type IncomingWebhookSendArguments,
} from '@slack/webhook';
import type { SluiceEvent } from '../../core/events/event.js';
import { AlertConfigError, AlertRejectedError, AlertUnavailableError } from './errors.js';
import { clip, eventTitle } from './format.js';
import { requireHttpUrl, retryableStatus } from './http.js';
import type {
  AlertPlugin,
  AlertPluginConfig,
  AlertPluginOptions,
  PostOptions,
  PostResult,
} from './provider.js';
import { slackBlocks, slackEscape } from './slack.js';

/** The body an incoming webhook receives for an event: the Web API mode's text and blocks. */
export function slackWebhookPayload(
  event: SluiceEvent,
  config: Pick<AlertPluginConfig, 'username' | 'channel'>,
) {
  return {
    text: clip(slackEscape(`${eventTitle(event)}: ${event.message}`), 3000),
    blocks: slackBlocks(event),
    unfurl_links: false,
    // Legacy webhooks honour these overrides; a Slack app's webhook posts to its own channel and ignores them.
    ...(config.username ? { username: config.username } : {}),
    ...(config.channel ? { channel: config.channel } : {}),
  } as unknown as IncomingWebhookSendArguments;
}

/**
 * Posts through a Slack incoming webhook (`mode: webhook`) with the official @slack/webhook client.
 * The URL carries its token, so it comes only from secretRef, and it goes out through the worker's
 * egress-guarded fetch like every other address a pipeline file chooses. Incoming webhooks answer
 * no message id and cannot be searched: no threads, and delivery is at-least-once.
 */
export class SlackWebhookAlerts implements AlertPlugin {
  readonly type = 'slack';
  private readonly webhook: IncomingWebhook;
  private readonly what: string;

  constructor(
    private readonly config: AlertPluginConfig,
    opts: AlertPluginOptions = {},
  ) {
    this.what = `slack provider ${config.name} (webhook)`;
    if (config.address)
      throw new AlertConfigError(
        `${this.what}: a webhook URL carries its token: put it in a secret and name it in secretRef, not in address`,
      );
    if (!config.secret)
      throw new AlertConfigError(
        `${this.what}: set secretRef to the secret holding the incoming webhook URL`,
      );
    const url = requireHttpUrl(this.what, config.secret);
    this.webhook = new IncomingWebhook(url, {
      timeout: opts.timeoutMs ?? 10_000,
      // Retries belong to Temporal's retry policy (durable, visible); the client must not retry.
      retryConfig: { retries: 0 },
      ...(opts.fetch ? { fetch: opts.fetch as typeof fetch } : {}),
    });
  }

  async post(event: SluiceEvent, _opts: PostOptions): Promise<PostResult> {
    try {
      await this.webhook.send(slackWebhookPayload(event, this.config));
    } catch (err) {
      throw this.alertError(err);
    }
    return { duplicate: false };
  }

  // The client's errors as retryable or permanent alert errors; none quotes the URL.
  private alertError(err: unknown): Error {
    if (err instanceof IncomingWebhookHTTPError) {
      const status = err.statusCode;
      if (retryableStatus(status)) return new AlertUnavailableError(`${this.what}: HTTP ${status}`);
      // Slack answers a short code (invalid_payload, no_service, channel_is_archived): worth showing.
      const code = /^[a-z_]{1,64}$/.test(err.body.trim()) ? `: ${err.body.trim()}` : '';
      return new AlertRejectedError(`${this.what}: HTTP ${status}${code}`);
    }
    if (err instanceof IncomingWebhookRequestError) {
      const original = err.original as Error & { permanent?: unknown; cause?: { code?: unknown } };
      // The guarded fetch's refusals (egress policy, redirect) name the host only, never the path.
      if (original.permanent === true) return new AlertConfigError(`${this.what}: ${original.message}`);
      const code = typeof original.cause?.code === 'string' ? original.cause.code : original.name;
      return new AlertUnavailableError(`${this.what}: request failed (${code || 'network error'})`);
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}
