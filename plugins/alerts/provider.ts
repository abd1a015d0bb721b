import type { SluiceEvent } from '../../core/events/event.js';

/** A Slack thread (or any provider's conversation) later events of the same rollout reply in. */
export interface ThreadRef {
  /** Channel id the parent message is in. */
  channel: string;
  /** Timestamp id of the parent message. */
  ts: string;
}

/** How one event is posted. */
export interface PostOptions {
  /** Idempotency key of the event: posting the same key twice must not show two messages where the provider allows it. */
  idempotencyKey: string;
  /** Reply in this thread instead of posting a new message (Slack); the parent is updated on a terminal event. */
  thread?: ThreadRef;
}

/** What a post produced. */
export interface PostResult {
  /** The message posted (or found already posted), as a thread others can reply in; Slack only. */
  thread?: ThreadRef;
  /** True when the key had already been posted and nothing new was sent. */
  duplicate: boolean;
}

/** One alert backend (Slack, Teams, Discord, webhook). Constructors validate the configuration. */
export interface AlertPlugin {
  readonly type: string;
  post(event: SluiceEvent, opts: PostOptions): Promise<PostResult>;
}

/** An AlertProvider with its secret resolved: what a plugin constructor receives. */
export interface AlertPluginConfig {
  /** AlertProvider name, used in error messages. */
  name: string;
  /** Slack only: `api` (Web API, bot token; the default) or `webhook` (incoming webhook URL). */
  mode?: string;
  channel?: string;
  username?: string;
  /** Endpoint URL from the spec (not secret). */
  address?: string;
  /** The value of the secretRef: Slack token or webhook URL, Teams/Discord webhook URL or webhook HMAC key. */
  secret?: string;
}

/** Process-wide settings for plugins; tests point them at local receivers. */
export interface AlertPluginOptions {
  /** Slack Web API base URL (default https://slack.com/api/). */
  slackApiUrl?: string;
  /** Timeout of one HTTP request (default 10 s). */
  timeoutMs?: number;
  /**
   * The fetch the webhook-style plugins (webhook, msteams, discord) post with (default: the global one).
   * The worker passes its egress-guarded fetch: AlertProvider addresses are chosen in pipeline files.
   * A rejection with `permanent: true` (egress refused, a redirect) is an AlertConfigError.
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}
