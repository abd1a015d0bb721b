import { createHmac } from 'node:crypto';

/** The header Sluice signs outgoing webhook bodies in (rollout hooks, pipeline steps, alerts). */
export const SIGNATURE_HEADER = 'x-sluice-signature';

/** `sha256=<hex>`: the HMAC-SHA256 of the exact body bytes with the shared key, as GitHub's and Sluice's webhooks carry it. */
export function signBody(key: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}
