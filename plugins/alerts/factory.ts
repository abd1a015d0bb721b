import { didYouMean } from '../../core/did-you-mean.js';
import { DiscordAlerts } from './discord.js';
import { UnknownAlertProviderError } from './errors.js';
import { TeamsAlerts } from './msteams.js';
import type { AlertPlugin, AlertPluginConfig, AlertPluginOptions } from './provider.js';
import { SlackAlerts } from './slack.js';
import { SlackWebhookAlerts } from './slack-webhook.js';
import { WebhookAlerts } from './webhook.js';

const builtins: Record<string, (config: AlertPluginConfig, opts: AlertPluginOptions) => AlertPlugin> = {
  // Two Slack modes: the Web API with a bot token (threads), or an incoming webhook URL.
  slack: (c, o) => (c.mode === 'webhook' ? new SlackWebhookAlerts(c, o) : new SlackAlerts(c, o)),
  msteams: (c, o) => new TeamsAlerts(c, o),
  discord: (c, o) => new DiscordAlerts(c, o),
  webhook: (c, o) => new WebhookAlerts(c, o),
};

/** Names of every alert plugin type, sorted. */
export function alertProviderTypes(): string[] {
  return Object.keys(builtins).sort();
}

/** The alert plugin for an AlertProvider type; an unknown type is an UnknownAlertProviderError, never a fallback. */
export function createAlertPlugin(
  type: string,
  config: AlertPluginConfig,
  opts: AlertPluginOptions = {},
): AlertPlugin {
  const make = Object.hasOwn(builtins, type) ? builtins[type] : undefined;
  if (make) return make(config, opts);
  const names = alertProviderTypes();
  const hint = didYouMean(type, names);
  throw new UnknownAlertProviderError(
    `AlertProvider ${config.name}: unknown type ${JSON.stringify(type)}${hint ? ` (${hint})` : ''}; known types: ${names.join(', ')}`,
  );
}
