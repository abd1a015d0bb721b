// A Helm chart in an OCI registry (oci://host/path, the chart at <path>/<chart>): the tag list gives the
// versions, the manifest of a tag its chart layer, addressed by digest. Registries answer 401 with a
// Bearer challenge (token service, see oci-auth.ts) or accept Basic credentials directly (docker-registry
// with htpasswd).
import type { ChartClient } from './chart-http.js';
import { ChartNotFoundError } from './errors.js';
import { registryGet } from './oci-auth.js';

const HELM_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** The registry base URL and repository of a chart: oci://host/path + chart. */
export function ociLocation(repoURL: string, chart: string): { base: string; repository: string } {
  const u = new URL(repoURL.replace(/^oci:\/\//, 'https://'));
  const repository = [...u.pathname.split('/').filter(Boolean), chart].join('/');
  return { base: `https://${u.host}`, repository };
}

/** A GET to the registry API for a repository: 404 is "no such chart", other failures name the URL. */
async function get(client: ChartClient, url: string, repository: string, accept?: string): Promise<Response> {
  const res = await registryGet(client, url, repository, accept ? { accept } : {});
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined);
    throw new ChartNotFoundError(`${client.repoURL}: ${url} not found (HTTP 404): check repoURL and chart`);
  }
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res;
}

/** The chart's tags (its versions; Helm writes '+' as '_' in tags). */
export async function ociVersions(client: ChartClient, chart: string): Promise<string[]> {
  const { base, repository } = ociLocation(client.repoURL, chart);
  const body = (await (
    await get(client, `${base}/v2/${repository}/tags/list?n=10000`, repository)
  ).json()) as {
    tags?: string[] | null;
  };
  return (body.tags ?? []).map((t) => t.replace(/_/g, '+'));
}

/** The manifest digest and chart layer digest of a version. */
export async function ociManifest(
  client: ChartClient,
  chart: string,
  version: string,
): Promise<{ manifestDigest: string; layerDigest: string }> {
  const { base, repository } = ociLocation(client.repoURL, chart);
  const res = await get(
    client,
    `${base}/v2/${repository}/manifests/${version.replace(/\+/g, '_')}`,
    repository,
    MANIFEST,
  );
  const manifestDigest = res.headers.get('docker-content-digest') ?? '';
  const body = (await res.json()) as { layers?: { mediaType: string; digest: string }[] };
  const layer = body.layers?.find((l) => l.mediaType === HELM_LAYER);
  if (!layer)
    throw new ChartNotFoundError(
      `${client.repoURL}/${chart}:${version} is not a Helm chart (no chart layer)`,
    );
  return { manifestDigest, layerDigest: layer.digest };
}

/** The packaged chart (the layer blob). */
export async function ociDownload(
  client: ChartClient,
  chart: string,
  layerDigest: string,
): Promise<Uint8Array> {
  const { base, repository } = ociLocation(client.repoURL, chart);
  return new Uint8Array(
    await (await get(client, `${base}/v2/${repository}/blobs/${layerDigest}`, repository)).arrayBuffer(),
  );
}
