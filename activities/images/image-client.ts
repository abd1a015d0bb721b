// How the worker reaches the registry of an ImageRepository: through the chart sources' OCI client (Docker
// token auth, CA bundles, the administrator's helmRepositories credentials), with the credentials of the
// ImageRepository's own secretRef when it names one. Those go only to the image's registry host: every
// request for an unconfigured registry goes through the egress policy, and a token service on another
// host gets no credentials.
import type { Caller } from '../../core/identity.js';
import { type ChartClient, type ChartCredentials, chartClient } from '../charts/chart-http.js';
import { type ChartRepoConfig, chartRepoFor } from '../charts/chart-repos.js';
import { ChartNotFoundError } from '../charts/errors.js';
import type { RegistryTokens } from '../charts/registry-tokens.js';
import type { EgressFetch } from '../egress/guarded-fetch.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SecretAccess } from '../trust/secret-access.js';

/** An image name split into where its registry API is and which repository it is. */
export interface ImageLocation {
  /** `https://host[:port]`. */
  base: string;
  host: string;
  /** The path below the host, e.g. "team/app". */
  repository: string;
}

/** Splits "host[:port]/path" (the schema's pattern); anything else is a ChartNotFoundError naming it. */
export function imageLocation(image: string): ImageLocation {
  const slash = image.indexOf('/');
  const host = image.slice(0, slash);
  const repository = image.slice(slash + 1);
  let parsed: URL | undefined;
  try {
    parsed = new URL(`https://${host}`);
  } catch {
    parsed = undefined;
  }
  // A host with userinfo, a path or anything the URL parser rewrites is not a registry host.
  if (slash <= 0 || !repository || !parsed || parsed.host !== host.toLowerCase())
    throw new ChartNotFoundError(`image ${JSON.stringify(image)} is not host[:port]/repository`);
  return { base: `https://${parsed.host}`, host: parsed.host, repository };
}

/** Dependencies of imageClient. */
export interface ImageClientDeps {
  repos: readonly ChartRepoConfig[];
  secrets: SecretStore;
  secretAccess: SecretAccess;
  egress: EgressFetch;
  tokens: RegistryTokens;
}

/** The client for an image's registry, as `caller` may reach it (secretRef: the ImageRepository's). */
export async function imageClient(
  deps: ImageClientDeps,
  image: string,
  caller: Caller,
  secretRef?: { name: string },
): Promise<{ client: ChartClient; location: ImageLocation }> {
  const location = imageLocation(image);
  const repoURL = `oci://${image}`;
  const configured = chartRepoFor(repoURL, deps.repos);
  const usable = configured && (!configured.projects || configured.projects.includes(caller.project));
  // A named secret is checked against its grant with the registry as destination, before it is read.
  const named = secretRef
    ? ((await deps.secretAccess.resolve(secretRef, {
        caller,
        sendTo: `${location.base}/`,
      })) as ChartCredentials)
    : undefined;
  if (usable) {
    const credentials =
      named ??
      (configured.secretRef
        ? ((await deps.secrets.resolve(configured.secretRef)) as ChartCredentials)
        : undefined);
    return { client: chartClient(repoURL, configured, credentials, deps.egress, deps.tokens), location };
  }
  if (!named)
    return { client: chartClient(repoURL, undefined, undefined, deps.egress, deps.tokens), location };
  // Not configured by the administrator: the pipeline file's credentials for the registry host alone, and
  // every request (token services too) through the egress policy.
  const base = chartClient(repoURL, { url: `oci://${location.host}` }, named, deps.egress, deps.tokens);
  return {
    client: {
      ...base,
      fetch: deps.egress,
      realm: (realm) => ({ ...base.realm(realm), fetch: deps.egress }),
    },
    location,
  };
}
