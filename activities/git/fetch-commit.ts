// The two ways the repository cache fetches a commit: the branch or tag it is on (with the repository's
// tags), or the commit itself by SHA ("want <sha>"), which reaches commits no branch or tag holds: one
// whose branch was deleted, or one pushed only to refs/pull/<n>/head. Git's http-backend serves a SHA
// that any advertised ref reaches (stateless HTTP always checks reachability); an unreachable one only
// with uploadpack.allowAnySHA1InWant. isomorphic-git fetches by SHA when `remoteRef` is a full SHA.
import * as fs from 'node:fs';
import git from 'isomorphic-git';
import type { GitLimits } from '../trust/config.js';
import type { GitAuthCallbacks } from './auth.js';
import { limitedHttp } from './limited-http.js';

/** Where and as whom one fetch runs. */
export interface FetchTarget {
  url: string;
  gitdir: string;
  auth: GitAuthCallbacks;
  limits: GitLimits;
}

async function run(t: FetchTarget, sha: string, args: Partial<Parameters<typeof git.fetch>[0]>) {
  // The pack is checked as it streams in: a limit passed ends the fetch before isomorphic-git stores or
  // indexes (inflates) anything. adviseHead: a server whose HEAD names no branch must not fail a fetch.
  const limited = limitedHttp(t.limits, { url: t.url, revision: sha }, { adviseHead: true });
  await git
    .fetch({ fs, http: limited.http, gitdir: t.gitdir, remote: 'origin', ...t.auth, ...args })
    .catch((err: unknown) => {
      throw limited.failure() ?? err;
    });
  const failure = limited.failure();
  if (failure) throw failure;
}

/** Fetches a branch or tag (and the tags), or with no name every branch and tag. */
export function fetchRef(t: FetchTarget, sha: string, branchOrTag: string | undefined): Promise<void> {
  return run(
    t,
    sha,
    branchOrTag ? { ref: branchOrTag, singleBranch: true, tags: true } : { singleBranch: false, tags: true },
  );
}

/**
 * Fetches one commit by SHA. isomorphic-git offers the server a single local ref as "have": a local
 * branch, so a commit near one already cached brings only its new objects.
 */
export async function fetchSha(t: FetchTarget, sha: string): Promise<void> {
  const [have] = await git.listBranches({ fs, gitdir: t.gitdir });
  await run(t, sha, { ref: have ?? sha, remoteRef: sha, singleBranch: true, tags: false });
}
