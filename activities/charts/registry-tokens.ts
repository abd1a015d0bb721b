// Bearer tokens a registry's token service issued (Docker's token authentication), kept until they expire so
// each chart fetch does not ask the token service again. A token is keyed by registry, scope and the identity
// it was asked with, so an anonymous token and a credentialed one (or two Projects' ones) never mix.
import { createHash } from 'node:crypto';

/** What a token service answers when it says nothing about lifetime (the spec's default). */
export const defaultTokenSeconds = 60;
/** Dropped this much before it expires, so a token is not sent in its last moments. */
const marginMs = 5_000;

/** A cache of bearer tokens by (registry, realm, scope, identity). */
export class RegistryTokens {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  /** The last Bearer challenge of each registry host, so a cached token is sent without a first 401. */
  private readonly challenges = new Map<string, BearerChallenge>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The cache key; the identity (an Authorization header, or none) is hashed so no secret is a map key. */
  static key(registry: string, realm: string, scope: string, authorization: string | undefined): string {
    const who = authorization ? createHash('sha256').update(authorization).digest('hex') : 'anonymous';
    return `${registry}|${realm}|${scope}|${who}`;
  }

  /** The token for a key, when there is one that has not expired. */
  get(key: string): string | undefined {
    const hit = this.tokens.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt > this.now()) return hit.token;
    this.tokens.delete(key);
    return undefined;
  }

  /** Keeps a token for `seconds` (the answer's expires_in) less a margin. */
  set(key: string, token: string, seconds: number): void {
    this.tokens.set(key, { token, expiresAt: this.now() + Math.max(0, seconds * 1000 - marginMs) });
  }

  /** The Bearer challenge a registry host answered with last, if any. */
  challenge(registry: string): BearerChallenge | undefined {
    return this.challenges.get(registry);
  }

  /** Remembers a registry host's Bearer challenge. */
  rememberChallenge(registry: string, challenge: BearerChallenge): void {
    this.challenges.set(registry, challenge);
  }

  /** Forgets a token the registry refused (revoked, or issued for less than it needs). */
  delete(key: string): void {
    this.tokens.delete(key);
  }
}

/** A `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` challenge. */
export interface BearerChallenge {
  realm: string;
  service?: string;
  scope?: string;
}

/** The Bearer challenge in a WWW-Authenticate header, or undefined for Basic or none. */
export function parseBearerChallenge(header: string | null): BearerChallenge | undefined {
  const m = /^\s*bearer\s+(.*)$/is.exec(header ?? '');
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[1] ?? '').matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    params[(p[1] ?? '').toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  if (!params.realm) return undefined;
  return {
    realm: params.realm,
    ...(params.service ? { service: params.service } : {}),
    ...(params.scope ? { scope: params.scope } : {}),
  };
}
