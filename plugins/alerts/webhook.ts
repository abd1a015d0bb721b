import { createHmac } from 'node:crypto';
import type { SluiceEvent } from '../../activities/events/event.js';
import { AlertConfigError } from './errors.js';
import { postJson, requireHttpUrl } from './http.js';
import type {
  AlertPlugin,
  AlertPluginConfig,
  AlertPluginOptions,
  PostOptions,
  PostResult,
} from './provider.js';

/** `sha256=<hex>`: the HMAC-SHA256 of the exact body bytes with the shared key. */
export function signBody(key: string, body: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/**
 * A JSON POST of the event to `address`, signed in `X-Sluice-Signature` with the key from secretRef.
 * The event id goes in `Idempotency-Key` (and `X-Sluice-Event-Id`) so a receiver can drop a repeat.
 */
export class WebhookAlerts implements AlertPlugin {
  readonly type = 'webhook';
  private readonly url: string;
  private readonly what: string;

  constructor(
    private readonly config: AlertPluginConfig,
    private readonly opts: AlertPluginOptions = {},
  ) {
    this.what = `webhook provider ${config.name}`;
    if (!config.address)
      throw new AlertConfigError(
        `${this.what}: set address (the receiver URL); secretRef holds the HMAC key`,
      );
    this.url = requireHttpUrl(this.what, config.address);
  }

  async post(event: SluiceEvent, opts: PostOptions): Promise<PostResult> {
    const body = JSON.stringify(event);
    const headers: Record<string, string> = {
      'idempotency-key': opts.idempotencyKey,
      'x-sluice-event-id': opts.idempotencyKey,
      'x-sluice-event': event.type,
    };
    if (this.config.secret) headers['x-sluice-signature'] = signBody(this.config.secret, body);
    await postJson(this.what, this.url, body, headers, this.opts.timeoutMs ?? 10_000);
    return { duplicate: false };
  }
}
