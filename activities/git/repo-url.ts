import { UnsupportedRepoUrlError } from '../errors.js';

/** The URL with any user information (`user:password@`, or a token as the user) shown as `***@`; safe to print. */
export function redactUrl(url: string): string {
  const at = url.lastIndexOf('@');
  if (at < 0) return url;
  const scheme = /^\s*[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  const hideUserinfo = () => `${scheme}***@${url.slice(at + 1)}`;
  if (scheme && URL.canParse(url)) {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    const authority = /^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;
    return authority.test(url) ? url.replace(authority, '$1***@') : hideUserinfo();
  }
  // Not a hierarchical URL (a password holding "/", or `user:pass@host:path`): hide everything before the last "@"
  // when it looks like user:password; an scp-style `git@host:path` stays as it is.
  return url.slice(scheme.length, at).includes(':') ? hideUserinfo() : url;
}

/**
 * Accepts http(s) repository URLs; rejects ssh:// and scp-style `git@host:path` with a hint, because
 * isomorphic-git speaks only smart HTTP. Credentials embedded in the URL are refused too: they would
 * end up in workflow history. Returns the URL unchanged; messages never repeat the credentials.
 */
export function checkRepoUrl(url: string): string {
  const shown = redactUrl(url);
  if (/^ssh:\/\//.test(url) || /^[\w.-]+@[\w.-]+:/.test(url) || /^git:\/\//.test(url)) {
    throw new UnsupportedRepoUrlError(
      `repository URL ${shown} uses SSH or git://, which Sluice does not support: use the https:// URL with a token in a secretRef`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsupportedRepoUrlError(
      `repository URL "${shown}" is not a URL: expected https://host/owner/repo.git`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UnsupportedRepoUrlError(
      `repository URL ${shown}: scheme ${parsed.protocol} is not supported; use https://`,
    );
  }
  if (parsed.username || parsed.password) {
    throw new UnsupportedRepoUrlError(
      `repository URL for ${parsed.host}${parsed.pathname} embeds credentials: put them in a secret and name it in secretRef`,
    );
  }
  return url;
}
