// Errors alert plugins throw. Messages name the provider and the HTTP status, never the URL or token:
// they end up in workflow history and worker logs.

/** The AlertProvider's configuration cannot work (missing channel, token or URL); retrying cannot help. */
export class AlertConfigError extends Error {
  override name = 'AlertConfigError' as const;
}

/** The endpoint refused the message for good (a 4xx other than 408/429, or a Slack error such as invalid_auth). */
export class AlertRejectedError extends Error {
  override name = 'AlertRejectedError' as const;
}

/** The endpoint is unavailable for now (429, 5xx, timeout, connection refused); retry, after retryAfterMs if given. */
export class AlertUnavailableError extends Error {
  override name = 'AlertUnavailableError' as const;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** No alert plugin has that type. */
export class UnknownAlertProviderError extends Error {
  override name = 'UnknownAlertProviderError' as const;
}

/** Failure types a workflow must not retry (strings, so workflows need not import this module). */
export const alertNonRetryableErrorTypes = [
  'AlertConfigError',
  'AlertRejectedError',
  'UnknownAlertProviderError',
  'SecretNotFoundError',
];
