// The chart repositories and registries the administrator configured (worker config helmRepositories):
// their credentials and CA bundles. Pipeline files never name chart credentials; a URL gets the entry
// whose prefix it starts with (longest first), and only requests to that entry's host carry them.

/** One configured chart repository (https://…) or OCI registry location (oci://host/path). */
export interface ChartRepoConfig {
  /** URL prefix: a chart repoURL equal to it or below it (at a '/') uses this entry. */
  url: string;
  /** Secret with `username` and `password`, or `token` (sent as a bearer token). */
  secretRef?: { name: string };
  /** PEM bundle of the CAs that sign the server's certificate (besides the system ones). */
  caFile?: string;
  /** Projects whose Applications may use the credentials (default: every Project). */
  projects?: string[];
  /**
   * Token services (https:// URL prefixes) on other hosts that may receive the credentials when the registry
   * answers with a Bearer challenge naming them (Docker Hub's https://auth.docker.io/token).
   */
  tokenRealms?: string[];
}

const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** True when url equals prefix or lies below it at a '/'. */
function under(url: string, prefix: string): boolean {
  const u = trimSlash(url);
  const p = trimSlash(prefix);
  return u === p || u.startsWith(`${p}/`);
}

/** The configured entry for a chart repoURL (longest matching prefix), if any. */
export function chartRepoFor(url: string, repos: readonly ChartRepoConfig[]): ChartRepoConfig | undefined {
  return repos.filter((r) => under(url, r.url)).sort((a, b) => b.url.length - a.url.length)[0];
}

/** The host[:port] of a chart URL (oci:// read as https://), for comparing where credentials may go. */
export function hostOf(url: string): string {
  return new URL(url.replace(/^oci:\/\//, 'https://')).host;
}

/** True when the entry lists a token realm (origin and path, query ignored) among its tokenRealms. */
export function realmListed(realm: URL, repo: ChartRepoConfig): boolean {
  const plain = `${realm.origin}${realm.pathname}`;
  return (repo.tokenRealms ?? []).some((prefix) => under(plain, prefix));
}
