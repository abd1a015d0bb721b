// Remote kustomize bases: which entries kustomize would fetch, and whether the administrator allows them
// (worker config `render.kustomize.remoteBases`, URL prefixes; none by default).

/**
 * True when kustomize would fetch the entry instead of reading a local path: any URL (kustomize
 * downloads http(s) files and clones https, http, ssh and file URLs), an scp-like `user@host:path`,
 * and the `github.com/org/repo` and `gh:` shorthands. A superset of kustomize v5's own test
 * (api/internal/git/repospec.go, api/internal/loader/fileloader.go), so nothing it fetches is taken for a path.
 */
export function isRemote(entry: string): boolean {
  const e = entry.replace(/^git::/i, '');
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(e) ||
    /^(https?|ssh|file):/i.test(e) || // Go's URL parser takes "http:/x" and "http:x" as URLs too
    /^[a-z][a-z0-9-]*@/i.test(e) ||
    /^github\.com[/:]/i.test(e) ||
    /^gh:/i.test(e)
  );
}

/** Why a remote entry is refused, or undefined when an allowed prefix covers it. */
export function remoteRefusal(entry: string, allowed: readonly string[]): string | undefined {
  const e = entry.replace(/^git::/i, '');
  const [location = ''] = e.split('?');
  // Git and HTTP clients normalise '..' and '%2e%2e' away: "allowed/../other" would fetch "other".
  if (/(^|[/:])\.\.?([/]|$)|%2e|%2f|%5c|\\/i.test(location))
    return 'has "." or ".." segments or escaped characters in its path';
  if (!allowed.some((prefix) => underPrefix(e, prefix)))
    return allowed.length === 0
      ? 'is a remote base, and this worker allows none'
      : 'is a remote base that this worker does not allow';
  return undefined;
}

/**
 * A prefix covers whole path segments: "https://github.com/acme/base" allows ".../base//deploy?ref=v1"
 * and ".../base/deploy", not ".../base-evil"; a prefix ending in '/' or ':' allows everything under it.
 */
function underPrefix(entry: string, prefix: string): boolean {
  if (!prefix || !entry.startsWith(prefix)) return false;
  if (/[/:]$/.test(prefix) || entry.length === prefix.length) return true;
  return entry[prefix.length] === '/' || entry[prefix.length] === '?';
}

/** Git transports the allowed prefixes need, for GIT_ALLOW_PROTOCOL ("none" when no prefix needs git). */
export function gitProtocols(allowed: readonly string[]): string {
  const protocols = new Set<string>();
  for (const raw of allowed) {
    const p = raw.replace(/^git::/i, '');
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(p)?.[1]?.toLowerCase();
    if (scheme && ['https', 'http', 'ssh', 'file'].includes(scheme)) protocols.add(scheme);
    else if (/^[a-z][a-z0-9-]*@/i.test(p) || /^github\.com:/i.test(p)) protocols.add('ssh');
    else if (/^github\.com\//i.test(p) || /^gh:/i.test(p)) protocols.add('https');
  }
  // GIT_ALLOW_PROTOCOL lists the transports git may use; a name that is no transport allows none.
  return [...protocols].sort().join(':') || 'none';
}
