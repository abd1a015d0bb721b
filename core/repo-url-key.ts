// Pure: when two repository URLs name the same repository. A push webhook names the configured URL
// and an Application's source may spell it with or without ".git" or a trailing slash.

/**
 * The comparable form of a repository URL: scheme and host lower-cased, trailing slashes and one
 * trailing ".git" removed. Not a URL to fetch: only for comparing and grouping.
 */
export function repoUrlKey(url: string): string {
  let key = url.trim().replace(/\/+$/, '');
  key = key.replace(/\.git$/i, '').replace(/\/+$/, '');
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(key);
  if (scheme)
    key = `${(scheme[1] as string).toLowerCase()}${(scheme[2] as string).toLowerCase()}${key.slice(scheme[0].length)}`;
  return key;
}

/** Whether two URLs name the same repository (repoUrlKey of each is equal). */
export function sameRepoUrl(a: string, b: string): boolean {
  return repoUrlKey(a) === repoUrlKey(b);
}
