import type { Severity, SluiceEvent } from '../../core/events/event.js';
import { eventFacts, eventTitle } from './format.js';
import { postJson, requireHttpUrl } from './http.js';
import type {
  AlertPlugin,
  AlertPluginConfig,
  AlertPluginOptions,
  PostOptions,
  PostResult,
} from './provider.js';

const colors: Record<Severity, string> = { info: 'Good', warn: 'Warning', error: 'Attention' };

/**
 * The message for a Teams incoming webhook or a Workflows ("Post to a channel when a webhook request
 * is received") URL: one Adaptive Card attachment, which both accept.
 */
export function teamsPayload(event: SluiceEvent): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            {
              type: 'TextBlock',
              text: eventTitle(event),
              weight: 'Bolder',
              size: 'Medium',
              color: colors[event.severity],
              wrap: true,
            },
            { type: 'TextBlock', text: event.message, wrap: true },
            { type: 'FactSet', facts: eventFacts(event).map(([title, value]) => ({ title, value })) },
          ],
          ...(event.link
            ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in Temporal UI', url: event.link }] }
            : {}),
        },
      },
    ],
  };
}

/** Posts an Adaptive Card to a Teams webhook; the URL (it carries a signature) comes from secretRef. */
export class TeamsAlerts implements AlertPlugin {
  readonly type = 'msteams';
  private readonly url: string;
  private readonly what: string;

  constructor(
    config: AlertPluginConfig,
    private readonly opts: AlertPluginOptions = {},
  ) {
    this.what = `msteams provider ${config.name}`;
    this.url = requireHttpUrl(this.what, config.secret ?? config.address);
  }

  async post(event: SluiceEvent, _opts: PostOptions): Promise<PostResult> {
    // Teams webhooks take no idempotency key: at-least-once (see activities/alerts/deliver.ts).
    await postJson(
      this.what,
      this.url,
      JSON.stringify(teamsPayload(event)),
      {},
      this.opts.timeoutMs ?? 10_000,
      this.opts.fetch,
    );
    return { duplicate: false };
  }
}
