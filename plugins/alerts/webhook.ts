import type { SluiceEvent } from '../../core/events/event.js';
import { signBody } from '../shared/webhook-signature.js';
import { AlertConfigError } from './errors.js';
import { postJson, requireHttpUrl } from './http.js';
import type {
  AlertPlugin,
  AlertPluginConfig,
  AlertPluginOptions,
  PostOptions,
  PostResult,
} from './provider.js';

export { signBody } from '../shared/webhook-signature.js';

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
    await postJson(this.what, this.url, body, headers, this.opts.timeoutMs ?? 10_000, this.opts.fetch);
    return { duplicate: false };
  }
}
