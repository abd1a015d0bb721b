import { UnsupportedRepoUrlError } from '../errors.js';

/**
 * Accepts http(s) repository URLs; rejects ssh:// and scp-style `git@host:path` with a hint, because
 * isomorphic-git speaks only smart HTTP. Credentials embedded in the URL are refused too: they would
 * end up in workflow history. Returns the URL unchanged.
 */
export function checkRepoUrl(url: string): string {
  if (/^ssh:\/\//.test(url) || /^[\w.-]+@[\w.-]+:/.test(url) || /^git:\/\//.test(url)) {
    throw new UnsupportedRepoUrlError(
      `repository URL ${url} uses SSH or git://, which Sluice does not support: use the https:// URL with a token in a secretRef`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsupportedRepoUrlError(
      `repository URL "${url}" is not a URL: expected https://host/owner/repo.git`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UnsupportedRepoUrlError(
      `repository URL ${url}: scheme ${parsed.protocol} is not supported; use https://`,
    );
  }
  if (parsed.username || parsed.password) {
    throw new UnsupportedRepoUrlError(
      `repository URL for ${parsed.host}${parsed.pathname} embeds credentials: put them in a secret and name it in secretRef`,
    );
  }
  return url;
}
