// HTTP for chart sources. A configured repository (admin-listed) is reached with its CA bundle and, on its
// own host only, its credentials; any other URL a pipeline file chose goes through the egress policy with
// no credentials. Direct HTTP rather than `helm pull`: the egress check happens where the connection is
// made, the index and manifest digests key the cache, and no credentials reach a subprocess or a file.
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import type { EgressFetch } from '../egress/guarded-fetch.js';
import { type ChartRepoConfig, hostOf, realmListed } from './chart-repos.js';
import { ChartAuthError } from './errors.js';
import type { RegistryTokens } from './registry-tokens.js';

/** Credentials as the secret holds them. */
export type ChartCredentials = { username?: string; password?: string; token?: string };

/** How to reach one chart repository: which fetch, and the Authorization header for its own host. */
export interface ChartClient {
  fetch: EgressFetch;
  /** The Authorization header for a URL: only on the configured host, else none. */
  authFor(url: string): string | undefined;
  /** The repository URL, for messages. */
  repoURL: string;
  /** How to reach a registry's token service (the realm of its Bearer challenge): see realmAccess. */
  realm(realm: URL): RealmAccess;
  /** Bearer tokens already issued, shared by the clients of one worker. */
  tokens: RegistryTokens;
}

/** The fetch for a token realm and the credentials it may receive. */
export interface RealmAccess {
  fetch: EgressFetch;
  /** The Authorization header for the token request; absent for an anonymous one. */
  authorization?: string;
  /** True when credentials are configured but withheld because the realm is on a host nobody listed. */
  withheld: boolean;
}

const agents = new Map<string, Agent>();

/** One connection pool per CA bundle file (read once). */
function agentFor(caFile: string): Agent {
  let agent = agents.get(caFile);
  if (!agent) {
    agent = new Agent({ connect: { ca: readFileSync(caFile, 'utf8') } });
    agents.set(caFile, agent);
  }
  return agent;
}

/** A client for the chart repository at repoURL: configured (`repo`, with its credentials) or not (egress-checked). */
export function chartClient(
  repoURL: string,
  repo: ChartRepoConfig | undefined,
  credentials: ChartCredentials | undefined,
  guarded: EgressFetch,
  tokens: RegistryTokens,
): ChartClient {
  const host = hostOf(repoURL);
  const header = credentials?.token
    ? `Bearer ${credentials.token}`
    : credentials?.username !== undefined
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}`
      : undefined;
  const plain: EgressFetch = async (url, init = {}) => {
    const dispatcher = repo?.caFile ? agentFor(repo.caFile) : undefined;
    // A configured repository may redirect its downloads (to object storage, say): followed, with no credentials.
    return (await undiciFetch(String(url), {
      ...(init as object),
      redirect: 'follow',
      ...(dispatcher ? { dispatcher } : {}),
    })) as unknown as Response;
  };
  return {
    repoURL,
    fetch: repo ? plain : guarded,
    authFor: (url) => (repo && header && hostOf(url) === host ? header : undefined),
    tokens,
    // The registry chose the realm. Only a realm on the registry's own host or one the administrator listed
    // is treated like the registry (its CA bundle, no egress check, the credentials); any other realm is an
    // outbound request like a webhook's: the egress policy, and no credentials.
    realm: (realm) => {
      const trusted = repo !== undefined && (realm.host === host || realmListed(realm, repo));
      if (!trusted) return { fetch: guarded, withheld: header !== undefined };
      return { fetch: plain, withheld: false, ...(header ? { authorization: header } : {}) };
    },
  };
}

/** GET through a chart client; 401/403 become ChartAuthError, other failures an Error naming the URL. */
export async function chartGet(
  client: ChartClient,
  url: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const auth = client.authFor(url);
  const res = await client.fetch(url, { headers: { ...headers, ...(auth ? { authorization: auth } : {}) } });
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel().catch(() => undefined);
    throw new ChartAuthError(
      `${client.repoURL}: the server refused ${auth ? 'the configured credentials' : 'a request without credentials'} (HTTP ${res.status}) for ${url}; the administrator sets them in the worker config's helmRepositories (url, secretRef with username/password or token)`,
    );
  }
  return res;
}
