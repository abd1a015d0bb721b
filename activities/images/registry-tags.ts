// The tags of an image repository (`GET /v2/<name>/tags/list`, paged by the `Link` header or `?n=&last=`)
// and the manifest digest of one tag, through the chart sources' registry GET (token auth, errors).
import type { ChartClient } from '../charts/chart-http.js';
import { ChartNotFoundError } from '../charts/errors.js';
import { registryGet } from '../charts/oci-auth.js';
import { beat } from '../keep-alive.js';
import type { ImageLocation } from './image-client.js';

/** Tags asked for per page. */
const PAGE = 1000;
/** No repository is listed past this many tags (a registry that pages forever cannot hold a worker). */
export const MAX_TAGS = 100_000;

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** A GET that must succeed: 404 is "no such repository", other failures name the URL. */
async function get(client: ChartClient, url: string, repository: string, accept?: string): Promise<Response> {
  const res = await registryGet(client, url, repository, accept ? { accept } : {});
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined);
    throw new ChartNotFoundError(
      `${client.repoURL}: the registry has no repository ${repository} (HTTP 404)`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`GET ${new URL(url).origin}${new URL(url).pathname}: HTTP ${res.status}`);
  }
  return res;
}

/** The next page's URL from a `Link: </v2/…?n=…&last=…>; rel="next"` header, kept on the registry's origin. */
export function nextPage(link: string | null, base: string, repository: string): string | undefined {
  const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link ?? '');
  if (!m?.[1]) return undefined;
  const next = new URL(m[1], base);
  // The registry chose the URL: it may only page through the same repository's tags on the same origin.
  if (next.origin !== new URL(base).origin || next.pathname !== `/v2/${repository}/tags/list`)
    throw new Error(
      `${base}: the registry's next page ${next.origin}${next.pathname} is not this repository's tag list`,
    );
  return next.href;
}

/** Every tag of the repository, page by page (`page` tags per request). */
export async function listTags(client: ChartClient, at: ImageLocation, page = PAGE): Promise<string[]> {
  const tags: string[] = [];
  let url: string | undefined = `${at.base}/v2/${at.repository}/tags/list?n=${page}`;
  let previousLast: string | undefined;
  const seen = new Set<string>();
  while (url) {
    const res = await get(client, url, at.repository);
    const body = (await res.json()) as { tags?: unknown };
    const listed = Array.isArray(body.tags)
      ? body.tags.filter((t): t is string => typeof t === 'string')
      : [];
    // Registries differ in how they page (some ignore n or last): a tag is kept once, and a page that
    // brings no new tag ends the listing.
    const fresh = listed.filter((t) => !seen.has(t));
    for (const t of fresh) seen.add(t);
    tags.push(...fresh);
    if (fresh.length === 0) break;
    beat({ tags: tags.length });
    if (tags.length > MAX_TAGS)
      throw new ChartNotFoundError(`${client.repoURL}: more than ${MAX_TAGS} tags; narrow the repository`);
    url = nextPage(res.headers.get('link'), at.base, at.repository);
    // A registry without Link headers that still returned a full page: ask for what comes after its last tag.
    // (A registry that ignores `last` answers the same page again: then this is all it lists.)
    const last = listed[listed.length - 1];
    if (
      !url &&
      listed.length >= page &&
      !res.headers.get('link') &&
      last !== undefined &&
      last !== previousLast
    )
      url = `${at.base}/v2/${at.repository}/tags/list?n=${page}&last=${encodeURIComponent(last)}`;
    previousLast = last;
  }
  return tags;
}

/** The manifest digest of a tag ("sha256:…"), or undefined when the registry does not say. */
export async function tagDigest(
  client: ChartClient,
  at: ImageLocation,
  tag: string,
): Promise<string | undefined> {
  const res = await get(
    client,
    `${at.base}/v2/${at.repository}/manifests/${encodeURIComponent(tag)}`,
    at.repository,
    MANIFEST_TYPES,
  );
  await res.body?.cancel().catch(() => undefined);
  const digest = res.headers.get('docker-content-digest') ?? undefined;
  return digest && /^sha256:[a-f0-9]{64}$/.test(digest) ? digest : undefined;
}
