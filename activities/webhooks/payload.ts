/** The JSON body every rollout webhook receives (Flagger's CanaryWebhookPayload shape, plus the hook's type). */
export interface WebhookPayload {
  /** Rollout name. */
  name: string;
  namespace: string;
  /** Rollout phase when the hook is called, e.g. "Progressing", "Promoting", "Failed". */
  phase: string;
  /** Revision checksum of the new version. */
  checksum: string;
  /** Webhook type: pre-rollout, rollout, confirm-*, post-rollout, rollback or event. */
  type: string;
  /** The hook's metadata from the Rollout, plus "eventMessage" / "eventType" for event hooks. */
  metadata: Record<string, string>;
}

/** A webhook of a Rollout as the workflow passes it (the HMAC key only as a secretRef). */
export interface WebhookSpec {
  name: string;
  type: string;
  url: string;
  /** Request timeout, ms. */
  timeoutMs: number;
  /** Further attempts after a network error or a 5xx (default 2). */
  retries?: number;
  metadata?: Record<string, string>;
  secretRef?: { name: string; key: string };
}

/** How a call went: ok means a 2xx answer. */
export interface WebhookResult {
  ok: boolean;
  status?: number;
  message: string;
  attempts: number;
}
