// Chart sources for the resolve and render activities: a version constraint resolved against the
// repository's index.yaml or the registry's tags, and the chart of one exact version fetched (once per
// digest) into the worker's cache. Credentials come from the administrator's helmRepositories only.
import semver from 'semver';
import type { Caller } from '../../core/identity.js';
import { chartVersionPattern } from '../../core/sync/revision-check.js';
import type { ChartDependency } from '../../plugins/renderers/helm-dependencies.js';
import { RenderError } from '../../plugins/renderers/renderer.js';
import type { EgressFetch } from '../egress/guarded-fetch.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { ChartCache } from './chart-cache.js';
import { type ChartClient, type ChartCredentials, chartClient } from './chart-http.js';
import { type ChartRepoConfig, chartRepoFor } from './chart-repos.js';
import { ChartNotFoundError } from './errors.js';
import { downloadIndexChart, indexVersions } from './helm-index.js';
import { ociDownload, ociManifest, ociVersions } from './oci.js';
import { RegistryTokens } from './registry-tokens.js';
import { pickChartVersion } from './version-pick.js';

/** A chart source: the repository (https:// or oci://), the chart and its version or constraint. */
export interface ChartRef {
  repoURL: string;
  chart: string;
}

/** Dependencies of ChartSources. */
export interface ChartSourcesDeps {
  cacheDir: string;
  repos: readonly ChartRepoConfig[];
  secrets: SecretStore;
  /** The egress-guarded fetch, for repositories the administrator did not configure. */
  egress: EgressFetch;
}

const isOci = (url: string) => url.startsWith('oci://');

/** Resolves chart versions and fetches charts into the cache. */
export class ChartSources {
  private readonly cache: ChartCache;
  /** Registry bearer tokens, shared by every fetch of this worker until they expire. */
  private readonly tokens = new RegistryTokens();

  constructor(private readonly deps: ChartSourcesDeps) {
    this.cache = new ChartCache(deps.cacheDir);
  }

  private async client(repoURL: string, caller: Caller): Promise<ChartClient> {
    const repo = chartRepoFor(repoURL, this.deps.repos);
    const usable = repo && (!repo.projects || repo.projects.includes(caller.project));
    const credentials =
      usable && repo.secretRef
        ? ((await this.deps.secrets.resolve(repo.secretRef)) as ChartCredentials)
        : undefined;
    return chartClient(repoURL, usable ? repo : undefined, credentials, this.deps.egress, this.tokens);
  }

  /** The exact version the constraint resolves to: the highest matching one the repository lists. */
  async resolve(ref: ChartRef, constraint: string, caller: Caller): Promise<string> {
    const client = await this.client(ref.repoURL, caller);
    const versions = isOci(ref.repoURL)
      ? await ociVersions(client, ref.chart)
      : (await indexVersions(client, ref.chart)).map((e) => e.version);
    const picked = pickChartVersion(versions, constraint);
    if (!picked)
      throw new ChartNotFoundError(
        `${ref.repoURL}: no version of chart "${ref.chart}" matches "${constraint}" (newest listed: ${newest(versions)}); change targetRevision`,
      );
    return picked;
  }

  /** The folder holding the unpacked chart (folder `<chart>` inside) of an exact version, from the cache when it is there. */
  async fetch(ref: ChartRef, version: string, caller: Caller): Promise<string> {
    // The version reaches a registry URL path: only an exact semver (a sync --revision is checked, this too).
    if (!chartVersionPattern.test(version))
      throw new ChartNotFoundError(`${ref.repoURL}: "${version}" is not an exact chart version`);
    const cached = this.cache.lookup(ref.repoURL, ref.chart, version);
    if (cached) return cached;
    const client = await this.client(ref.repoURL, caller);
    const key = { ...ref, version };
    if (isOci(ref.repoURL)) {
      const { layerDigest } = await ociManifest(client, ref.chart, version);
      return this.cache.store(key, await ociDownload(client, ref.chart, layerDigest), layerDigest);
    }
    const entry = (await indexVersions(client, ref.chart)).find((e) => e.version === version);
    if (!entry)
      throw new ChartNotFoundError(`${ref.repoURL}: chart "${ref.chart}" has no version ${version} any more`);
    return this.cache.store(key, await downloadIndexChart(client, entry), entry.digest);
  }
}

/**
 * A chart dependency's unpacked chart for a render of caller's Application: its constraint resolved against
 * the repository (an exact version fetched once needs no network), fetched like a chart source. Not checked
 * against the Project's sourceRepos (Argo CD does not either): the egress policy guards a repository nobody
 * configured, and configured credentials go only to the Projects the administrator named.
 */
export async function fetchDependency(
  charts: ChartSources,
  dep: ChartDependency,
  caller: Caller,
): Promise<string> {
  let url: URL;
  try {
    url = new URL(dep.repository);
  } catch {
    throw new RenderError(`repository ${JSON.stringify(dep.repository)} is not a URL`);
  }
  if (!['https:', 'http:', 'oci:'].includes(url.protocol))
    throw new RenderError(`repository ${dep.repository} is not https://, http:// or oci://`);
  if (url.username || url.password)
    throw new RenderError(
      'the repository URL carries credentials: the administrator configures them in helmRepositories',
    );
  const ref = { repoURL: dep.repository.replace(/\/+$/, ''), chart: dep.name };
  const version =
    semver.valid(dep.version) === dep.version ? dep.version : await charts.resolve(ref, dep.version, caller);
  return charts.fetch(ref, version, caller);
}

/** The few newest versions, for messages. */
function newest(versions: string[]): string {
  return versions.slice(0, 5).join(', ') || 'none';
}
