import type { Severity, SluiceEvent } from '../../core/events/event.js';
import { clip, eventFacts, eventTitle, severityColors } from './format.js';
import { postJson, requireHttpUrl } from './http.js';
import type {
  AlertPlugin,
  AlertPluginConfig,
  AlertPluginOptions,
  PostOptions,
  PostResult,
} from './provider.js';

/** Embed colour (an integer) by severity. */
export function discordColor(s: Severity): number {
  return Number.parseInt(severityColors[s].slice(1), 16);
}

/** The Discord webhook payload for an event: one embed coloured by severity. */
export function discordPayload(event: SluiceEvent, username?: string): Record<string, unknown> {
  return {
    ...(username ? { username } : {}),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(eventTitle(event), 256),
        description: clip(event.message, 4096),
        color: discordColor(event.severity),
        ...(event.link ? { url: event.link } : {}),
        ...(event.at !== undefined ? { timestamp: new Date(event.at).toISOString() } : {}),
        fields: eventFacts(event)
          .slice(0, 25)
          .map(([name, value]) => ({ name: clip(name, 256), value: clip(value, 1024), inline: true })),
        footer: { text: clip(`Sluice · ${event.workflowId ?? event.type}`, 2048) },
      },
    ],
  };
}

/** Posts to a Discord channel webhook; the URL (it carries the webhook token) comes from secretRef. */
export class DiscordAlerts implements AlertPlugin {
  readonly type = 'discord';
  private readonly url: string;
  private readonly what: string;

  constructor(
    private readonly config: AlertPluginConfig,
    private readonly opts: AlertPluginOptions = {},
  ) {
    this.what = `discord provider ${config.name}`;
    this.url = requireHttpUrl(this.what, config.secret ?? config.address);
  }

  async post(event: SluiceEvent, _opts: PostOptions): Promise<PostResult> {
    // Discord webhooks take no idempotency key: at-least-once (see activities/alerts/deliver.ts).
    const body = JSON.stringify(discordPayload(event, this.config.username));
    await postJson(this.what, this.url, body, {}, this.opts.timeoutMs ?? 10_000, this.opts.fetch);
    return { duplicate: false };
  }
}
