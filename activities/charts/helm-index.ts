// A Helm chart repository (HTTP): its index.yaml lists every chart's versions, each with its download
// URLs and the digest of the packaged chart.
import { parse } from 'yaml';
import { type ChartClient, chartGet } from './chart-http.js';
import { ChartNotFoundError } from './errors.js';

/** One version of a chart as index.yaml lists it. */
export interface IndexEntry {
  version: string;
  urls: string[];
  digest?: string;
}

/** The versions of `chart` in the repository's index.yaml. */
export async function indexVersions(client: ChartClient, chart: string): Promise<IndexEntry[]> {
  const url = `${client.repoURL.replace(/\/+$/, '')}/index.yaml`;
  const res = await chartGet(client, url);
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined);
    throw new ChartNotFoundError(
      `${client.repoURL} has no index.yaml (HTTP 404): is repoURL a Helm chart repository?`,
    );
  }
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const index = parse(await res.text()) as { entries?: Record<string, IndexEntry[]> } | null;
  const entries = index?.entries?.[chart];
  if (!entries?.length)
    throw new ChartNotFoundError(
      `${client.repoURL} has no chart "${chart}" (charts: ${
        Object.keys(index?.entries ?? {})
          .slice(0, 10)
          .join(', ') || 'none'
      })`,
    );
  return entries.map((e) => ({
    version: String(e.version),
    urls: e.urls ?? [],
    ...(e.digest ? { digest: e.digest } : {}),
  }));
}

/** The packaged chart of an index entry, its first URL resolved against the repository URL. */
export async function downloadIndexChart(client: ChartClient, entry: IndexEntry): Promise<Uint8Array> {
  const first = entry.urls[0];
  if (!first)
    throw new ChartNotFoundError(`${client.repoURL}: version ${entry.version} lists no download URL`);
  const url = new URL(first, `${client.repoURL.replace(/\/+$/, '')}/`).toString();
  const res = await chartGet(client, url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
