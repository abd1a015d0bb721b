// Pure: which sources one ls-remote can answer. Sources of the same repository asked with the same
// credentials share one ls-remote; a caller never borrows another caller's credentials.
import { repoUrlKey } from '../../core/repo-url-key.js';

/** Sources of one repository asked with the same credentials: one ls-remote answers them all. */
export interface SourceGroup {
  /** The URL to ask (the first member's spelling). */
  url: string;
  /** The name of the secret the members may use, or undefined for none. */
  credentials?: string;
  /** Indexes of the members in the list grouped. */
  members: number[];
}

/** Groups sources by (repository, credentials), in the order each group first appears. */
export function groupSources<T extends { repoURL: string }>(
  sources: T[],
  credentialsOf: (source: T) => string | undefined,
): SourceGroup[] {
  const groups = new Map<string, SourceGroup>();
  for (const [i, source] of sources.entries()) {
    const credentials = credentialsOf(source);
    // NUL cannot appear in a URL or a secret name: the key is unambiguous.
    const key = `${repoUrlKey(source.repoURL)}\u0000${credentials ?? ''}`;
    const group = groups.get(key);
    if (group) group.members.push(i);
    else groups.set(key, { url: source.repoURL, ...(credentials ? { credentials } : {}), members: [i] });
  }
  return [...groups.values()];
}
