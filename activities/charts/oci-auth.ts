// GETs to an OCI registry, with Docker's token authentication (distribution's "Token Authentication
// Specification", what Docker Hub, ghcr.io, GAR and Harbor use): a 401 with a Bearer challenge sends us to
// the challenge's realm for a token with pull access to the one repository, then the request is repeated
// with it. Registries that take Basic credentials directly never challenge with Bearer and see no change.
import type { ChartClient } from './chart-http.js';
import { ChartAuthError, ChartNotFoundError } from './errors.js';
import {
  type BearerChallenge,
  defaultTokenSeconds,
  parseBearerChallenge,
  RegistryTokens,
} from './registry-tokens.js';

const isLoopback = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);

/**
 * The challenge's realm as a URL, refused unless https (a token and the credentials travel over it): plain
 * http only when the registry itself is plain http and both are on loopback (a test server).
 */
export function checkedRealm(realm: string, registryUrl: string, repoURL: string): URL {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new ChartAuthError(`${repoURL}: the registry's token realm ${JSON.stringify(realm)} is not a URL`);
  }
  const registry = new URL(registryUrl);
  const loopbackHttp =
    url.protocol === 'http:' &&
    registry.protocol === 'http:' &&
    isLoopback(url.hostname) &&
    isLoopback(registry.hostname);
  if ((url.protocol !== 'https:' && !loopbackHttp) || url.username || url.password)
    throw new ChartAuthError(
      `${repoURL}: the registry named the token realm ${url.origin}${url.pathname}, which is not an https:// URL without credentials; refused`,
    );
  return url;
}

/** Drains a response we will not read, so its connection goes back to the pool. */
const discard = (res: Response) => res.body?.cancel().catch(() => undefined);

/** A GET of a registry URL for `repository` with pull access: Basic first, a bearer token on a Bearer challenge. */
export async function registryGet(
  client: ChartClient,
  url: string,
  repository: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  // The name goes into a token scope (type:name:actions): nothing but a repository path may reach it.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/.test(repository))
    throw new ChartNotFoundError(
      `${client.repoURL}: ${JSON.stringify(repository)} is not a registry repository name`,
    );
  const scope = `repository:${repository}:pull`;
  const get = (authorization?: string) =>
    client.fetch(url, { headers: { ...headers, ...(authorization ? { authorization } : {}) } });
  const registry = new URL(url).host;
  const known = client.tokens.challenge(registry);
  if (known) {
    const token = await tokenFor(client, registry, url, known, scope);
    const res = await get(`Bearer ${token.value}`);
    if (res.status !== 401) return refusedOr(client, res, url, presented(token));
    // Expired early, revoked, or the registry now challenges differently: start over.
    client.tokens.delete(token.key);
    await discard(res);
  }
  const basic = client.authFor(url);
  const res = await get(basic);
  const challenge =
    res.status === 401 ? parseBearerChallenge(res.headers.get('www-authenticate')) : undefined;
  if (!challenge) return refusedOr(client, res, url, basic ? 'the configured credentials' : undefined);
  await discard(res);
  const token = await tokenFor(client, registry, url, challenge, scope);
  client.tokens.rememberChallenge(registry, challenge);
  const retried = await get(`Bearer ${token.value}`);
  if (retried.status === 401 || retried.status === 403) client.tokens.delete(token.key);
  return refusedOr(client, retried, url, presented(token));
}

/** What a request with this token presented, for the refusal message. */
function presented(token: { realm: string; anonymous: boolean; withheld: boolean }): string {
  if (token.withheld)
    return `a token issued without credentials (the configured ones are not sent to the token service ${token.realm}, which is on another host: list it in the entry's tokenRealms to send them)`;
  return token.anonymous
    ? 'a token issued without credentials'
    : 'a token issued for the configured credentials';
}

/** The response, or a ChartAuthError for 401/403 naming what was presented. */
async function refusedOr(
  client: ChartClient,
  res: Response,
  url: string,
  presented: string | undefined,
): Promise<Response> {
  if (res.status !== 401 && res.status !== 403) return res;
  await discard(res);
  throw new ChartAuthError(
    `${client.repoURL}: the registry refused ${presented ?? 'a request without credentials'} (HTTP ${res.status}) for ${url}; the administrator sets them in the worker config's helmRepositories (url, secretRef with username/password or token)`,
  );
}

/** A token for the scope: from the cache, else asked of the realm (with credentials only where they may go). */
async function tokenFor(
  client: ChartClient,
  registry: string,
  url: string,
  challenge: BearerChallenge,
  scope: string,
): Promise<{ value: string; key: string; realm: string; anonymous: boolean; withheld: boolean }> {
  const realm = checkedRealm(challenge.realm, url, client.repoURL);
  const where = `${realm.origin}${realm.pathname}`;
  const access = client.realm(realm);
  const key = RegistryTokens.key(registry, where, scope, access.authorization);
  const facts = { key, realm: where, anonymous: !access.authorization, withheld: access.withheld };
  const cached = client.tokens.get(key);
  if (cached) return { value: cached, ...facts };
  // Our own scope, not the challenge's: we ask for pull on the repository we read, nothing more.
  const ask = new URL(realm);
  if (challenge.service) ask.searchParams.set('service', challenge.service);
  ask.searchParams.set('scope', scope);
  const res = await access
    .fetch(ask, {
      headers: {
        accept: 'application/json',
        ...(access.authorization ? { authorization: access.authorization } : {}),
      },
    })
    .catch((err: Error & { permanent?: boolean; cause?: { message?: string } }) => {
      // Egress refusals stay themselves (permanent); undici's bare "fetch failed" gets its cause and the realm.
      if (err.permanent) throw err;
      const cause = err.cause?.message ? `: ${err.cause.message}` : '';
      throw new Error(`${client.repoURL}: cannot reach the token service ${where}: ${err.message}${cause}`);
    });
  if (res.status === 401 || res.status === 403) {
    await discard(res);
    throw new ChartAuthError(
      `${client.repoURL}: the token service ${where} refused ${access.authorization ? 'the configured credentials' : 'an anonymous token request'} (HTTP ${res.status}); the administrator sets them in the worker config's helmRepositories (url, secretRef with username/password or token)`,
    );
  }
  if (!res.ok) {
    await discard(res);
    throw new Error(`${client.repoURL}: the token service ${where} answered HTTP ${res.status}`);
  }
  const body = (await res.json().catch(() => ({}))) as {
    token?: unknown;
    access_token?: unknown;
    expires_in?: unknown;
  };
  const value = typeof body.token === 'string' && body.token ? body.token : body.access_token;
  if (typeof value !== 'string' || !value)
    throw new Error(`${client.repoURL}: the token service ${where} answered without a token`);
  const seconds =
    typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : defaultTokenSeconds;
  client.tokens.set(key, value, seconds);
  return { value, ...facts };
}
