import { sleep } from '@temporalio/activity';
import type { Caller } from '../../core/identity.js';
import { SIGNATURE_HEADER, signBody } from '../../plugins/shared/webhook-signature.js';
import type { EgressFetch } from '../egress/guarded-fetch.js';
import { whileBeating } from '../keep-alive.js';
import type { SecretAccess } from '../trust/secret-access.js';
import type { WebhookPayload, WebhookResult, WebhookSpec } from './payload.js';

const BACKOFF_MS = [500, 1000, 2000, 4000];

/**
 * POSTs the payload to the hook: 2xx is ok; network errors and 5xx are retried `retries` times with
 * backoff; anything else is answered (not thrown), since for gates "not yet" is a normal outcome.
 * The body is signed (X-Sluice-Signature: sha256=HMAC) when the hook has a secretRef.
 * Safe to retry: receivers get the same body, and gates and checks are questions, not commands.
 * The request goes through the egress-guarded fetch; a refusal (destination, redirect) is answered at
 * once, not retried. Only the status is kept: the answer's body never reaches the rollout's history.
 */
export async function callWebhook(
  secrets: SecretAccess,
  hook: WebhookSpec,
  payload: WebhookPayload,
  caller: Caller,
  egress: EgressFetch,
): Promise<WebhookResult> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'sluice' };
  if (hook.secretRef) {
    const values = await secrets.resolve(hook.secretRef, { caller, sendTo: hook.url });
    const key = values[hook.secretRef.key] as string;
    headers[SIGNATURE_HEADER] = signBody(key, body);
  }
  const attempts = 1 + (hook.retries ?? 2);
  let last: WebhookResult = { ok: false, message: 'not called', attempts: 0 };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      // One attempt may take up to the hook's timeout, longer than the heartbeat timeout: beat while it runs.
      const res = await whileBeating({ hook: hook.name, attempt }, async () => {
        const r = await egress(hook.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(hook.timeoutMs),
        });
        // The gates need the status only; the body is dropped unread (the request ends here).
        await r.body?.cancel().catch(() => undefined);
        return r;
      });
      last = {
        ok: res.ok,
        status: res.status,
        message: `${hook.type} webhook ${hook.name}: HTTP ${res.status}`,
        attempts: attempt,
      };
      if (res.status < 500) return last;
    } catch (err) {
      if ((err as { permanent?: unknown }).permanent === true)
        return {
          ok: false,
          message: `${hook.type} webhook ${hook.name}: ${(err as Error).message}`,
          attempts: attempt,
        };
      const reason =
        (err as Error).name === 'TimeoutError'
          ? `timed out after ${hook.timeoutMs} ms`
          : String((err as Error).cause ?? (err as Error).message);
      last = {
        ok: false,
        message: `${hook.type} webhook ${hook.name}: ${reason} (check the URL and that the receiver is up)`,
        attempts: attempt,
      };
    }
    if (attempt < attempts) await sleep(BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)] as number);
  }
  return last;
}
