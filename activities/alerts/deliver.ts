import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { alertNonRetryableErrorTypes } from '../../core/errors.js';
import { type SluiceEvent, temporalUiLink } from '../../core/events/event.js';
import type { Caller } from '../../core/identity.js';
import { createAlertPlugin } from '../../plugins/alerts/factory.js';
import type { AlertPluginOptions, ThreadRef } from '../../plugins/alerts/provider.js';
import type { AlertProviderSpec } from '../../schemas/types.generated.js';
import { egressFetch } from '../egress/guarded-fetch.js';
import { defaultEgress, type EgressConfig } from '../trust/config.js';
import type { SecretAccess } from '../trust/secret-access.js';

/** An AlertProvider as workflows pass it: name and spec; secrets only as secretRef names. */
export interface AlertProviderRef {
  name: string;
  spec: AlertProviderSpec;
}

/** Input of deliverAlert. Nothing in it is secret: it is recorded in workflow history. */
export interface DeliverAlertInput {
  /** The event; `id` is its idempotency key (the workflow derives it from workflowId, runId and a sequence). */
  event: SluiceEvent & { id: string };
  provider: AlertProviderRef;
  /** Whose AlertProvider it is: its secret is resolved under this repository's and Project's grants. */
  caller: Caller;
  /** Slack thread of the rollout, to reply in; absent for the first event. */
  thread?: ThreadRef;
}

/** Result of deliverAlert. */
export interface DeliverAlertResult {
  delivered: boolean;
  /** True when the provider already had this event (a retry after a crash) and nothing was posted again. */
  duplicate: boolean;
  /** Slack: the thread later events of the same rollout should reply in. */
  thread?: ThreadRef;
}

/** What the alert activity needs: the secret store, and the Temporal UI base URL for links. */
export interface AlertActivityDeps {
  secrets: SecretAccess;
  /** e.g. http://127.0.0.1:8233; events get a link to their workflow when set. */
  temporalUiUrl?: string;
  /** Plugin settings (Slack API URL, HTTP timeout); tests point them at local receivers. */
  plugins?: AlertPluginOptions;
  /** Where AlertProvider addresses may point (default: public addresses only); Slack's API URL is the worker's own. */
  egress?: EgressConfig;
}

const permanent = new Set(alertNonRetryableErrorTypes);

/**
 * The alert activity. One attempt is one delivery try: 429/5xx/network errors fail the attempt with
 * a retryable failure whose nextRetryDelay is the Retry-After, so Temporal's retry policy backs off
 * durably; 4xx and bad configuration fail it for good. Resolved secrets stay inside this function.
 */
export function alertActivities(deps: AlertActivityDeps) {
  const plugins: AlertPluginOptions = { ...deps.plugins, fetch: egressFetch(deps.egress ?? defaultEgress) };
  return {
    /** Posts one event to one AlertProvider (at most once per event id where the provider allows it). */
    async deliverAlert(input: DeliverAlertInput): Promise<DeliverAlertResult> {
      const { event, provider } = input;
      if (!event?.id)
        throw ApplicationFailure.nonRetryable(
          'deliverAlert: event.id (idempotency key) is required',
          'AlertConfigError',
        );
      let secret: string | undefined;
      try {
        secret = await resolveSecret(deps.secrets, input, deps.plugins?.slackApiUrl);
        const plugin = createAlertPlugin(
          provider.spec.type,
          { name: provider.name, ...provider.spec, secret },
          plugins,
        );
        const info = Context.current().info;
        const link =
          event.link ??
          (deps.temporalUiUrl && event.workflowId
            ? temporalUiLink(deps.temporalUiUrl, info.namespace, event.workflowId)
            : undefined);
        const result = await plugin.post(
          { ...event, ...(link ? { link } : {}) },
          {
            idempotencyKey: `${event.id}/${provider.name}`,
            ...(input.thread ? { thread: input.thread } : {}),
          },
        );
        log.info('alert delivered', {
          provider: provider.name,
          type: provider.spec.type,
          event: event.type,
          eventId: event.id,
          duplicate: result.duplicate,
        });
        return {
          delivered: true,
          duplicate: result.duplicate,
          ...(result.thread ? { thread: result.thread } : {}),
        };
      } catch (err) {
        throw toFailure(err, secret, provider, event);
      }
    },
  };
}

/** The activities object deliverAlert lives in, for proxyActivities. */
export type AlertActivities = ReturnType<typeof alertActivities>;

/**
 * The provider's secret, where its grant allows it to go: the Slack API for a Slack token, the
 * provider's address for a webhook HMAC key, and for Teams, Discord and Slack incoming webhooks
 * (mode webhook) the address or the URL the secret itself holds.
 */
async function resolveSecret(
  secrets: SecretAccess,
  input: DeliverAlertInput,
  slackApiUrl = 'https://slack.com/api/',
): Promise<string | undefined> {
  const { spec } = input.provider;
  const ref = spec.secretRef;
  if (!ref) return undefined;
  const sendTo =
    spec.type === 'slack' && spec.mode !== 'webhook'
      ? slackApiUrl
      : spec.type === 'webhook'
        ? (spec.address ?? '')
        : (values: Record<string, string>) => spec.address ?? values[ref.key];
  const values = await secrets.resolve(ref, { caller: input.caller, sendTo });
  return values[ref.key];
}

// A Temporal failure for an error: typed, retryable or not, with Retry-After as the next delay, and
// the secret scrubbed from the message in case some library quoted it.
function toFailure(
  err: unknown,
  secret: string | undefined,
  provider: AlertProviderRef,
  event: SluiceEvent,
): ApplicationFailure {
  const name = err instanceof Error ? err.name : 'Error';
  let message = err instanceof Error ? err.message : String(err);
  if (secret) message = message.split(secret).join('***');
  const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs;
  log.warn('alert delivery failed', {
    provider: provider.name,
    type: provider.spec.type,
    eventId: event.id,
    error: message,
  });
  if (permanent.has(name)) return ApplicationFailure.nonRetryable(message, name);
  return ApplicationFailure.create({
    message,
    type: name,
    ...(typeof retryAfterMs === 'number' ? { nextRetryDelay: retryAfterMs } : {}),
  });
}
