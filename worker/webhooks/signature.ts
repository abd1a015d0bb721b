import { timingSafeEqual } from 'node:crypto';
import { signBody } from '../../plugins/shared/webhook-signature.js';

/** Which push-webhook convention a request follows, decided by its headers. */
export type WebhookKind = 'github' | 'gitlab' | 'generic';

/** Headers that carry each kind's proof of origin (lower-case, as Node gives them). */
export const signatureHeaders = {
  github: 'x-hub-signature-256',
  gitlab: 'x-gitlab-token',
  generic: 'x-sluice-signature',
} as const;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `sha256=<hex HMAC-SHA256 of the body>`, the form GitHub and Sluice's generic webhooks send. */
export function hmacSignature(secret: string, body: Buffer): string {
  return signBody(secret, body);
}

/** An empty or whitespace-only secret proves nothing: anyone can send an empty token or HMAC with an empty key. */
export function usableSecret(secret: string | undefined): secret is string {
  return typeof secret === 'string' && secret.trim() !== '';
}

/**
 * Checks a request's proof of origin against the repository's webhook secret: GitHub's and the
 * generic HMAC of the exact body, or GitLab's shared token. Comparisons are constant-time.
 * Returns the kind that verified, or undefined when the proof is missing or wrong, or the secret is empty.
 */
export function verifyWebhook(
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  secret: string,
): WebhookKind | undefined {
  if (!usableSecret(secret)) return undefined;
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const github = header(signatureHeaders.github);
  if (github !== undefined) return safeEqual(github, hmacSignature(secret, body)) ? 'github' : undefined;
  const gitlab = header(signatureHeaders.gitlab);
  if (gitlab !== undefined) return safeEqual(gitlab, secret) ? 'gitlab' : undefined;
  const generic = header(signatureHeaders.generic);
  if (generic !== undefined) return safeEqual(generic, hmacSignature(secret, body)) ? 'generic' : undefined;
  return undefined;
}

/** The branch a push event names (`ref: refs/heads/x` in GitHub's and GitLab's payloads), if any. */
export function pushedBranch(body: Buffer): string | undefined {
  try {
    const ref = (JSON.parse(body.toString('utf8')) as { ref?: unknown }).ref;
    return typeof ref === 'string' && ref.startsWith('refs/heads/')
      ? ref.slice('refs/heads/'.length)
      : undefined;
  } catch {
    return undefined;
  }
}
