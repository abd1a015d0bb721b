// What an ApplicationSet's generators read, gathered from the Git cache before the load: the watched
// repository at the commit being loaded, and any other repository a git generator names, each checked
// against the set's Project (sourceRepos) before the worker contacts it.

import { nonRetryableErrorTypes } from '../../core/errors.js';
import type { Caller } from '../../core/identity.js';
import {
  type GeneratorCluster,
  type GeneratorInputs,
  type GitNeed,
  gitNeeds,
  matcher,
  otherRepoKey,
  type RepoAnswer,
  type RepoTree,
  readsWatchedRepo,
} from '../../schemas/loader/app-sets/inputs.js';
import type { SourceFile } from '../../schemas/loader/index.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { checkSource, ProjectViolationError } from '../sync/project-policy.js';
import { ProjectBindingError, type ProjectRegistry } from '../trust/projects.js';
import { gitAuth } from './auth.js';
import type { ByteCap } from './git-limits.js';
import type { RepoCache } from './repo-cache.js';
import { checkRepoUrl } from './repo-url.js';

/** What gathering needs from the worker. */
export interface GeneratorDeps {
  repoCache: RepoCache;
  secrets: SecretStore;
  projects: ProjectRegistry;
  credentialsFor: (url: string, caller: Caller) => { name: string } | undefined;
  /** The clusters a clusters generator yields (in-cluster and the worker config's). */
  clusters?: GeneratorCluster[];
}

/** The tree of a commit already in the cache, with the contents of the files the globs match. */
async function treeAt(
  repoCache: RepoCache,
  url: string,
  sha: string,
  globs: string[],
  cap: ByteCap,
): Promise<RepoTree> {
  const files = await repoCache.listFiles(url, sha);
  const wanted = matcher(globs);
  const listed = new Set(files);
  const read = globs.length
    ? await repoCache.readFiles(url, sha, '', (f) => listed.has(f) && wanted(f), cap)
    : [];
  return { files, contents: Object.fromEntries(read.map((f) => [f.path, f.content])) };
}

/** Another repository's tree at its revision, or why the set may not read it. */
async function otherTree(
  deps: GeneratorDeps,
  repoId: string,
  bound: string[],
  need: GitNeed,
  cap: ByteCap,
): Promise<RepoAnswer> {
  const url = need.repoURL as string;
  const caller = { repoId, project: need.project ?? (bound[0] as string) };
  try {
    checkRepoUrl(url);
    checkSource(await deps.projects.policyFor(caller), {
      name: need.set,
      repoURL: url,
      what: 'ApplicationSet',
    });
  } catch (err) {
    if (err instanceof ProjectViolationError || err instanceof ProjectBindingError)
      return { error: err.message };
    throw err;
  }
  try {
    const ref = deps.credentialsFor(url, caller);
    const auth = gitAuth(url, ref ? await deps.secrets.resolve(ref) : undefined);
    const revision = need.revision ?? 'HEAD';
    const sha = await deps.repoCache.resolve(url, revision, auth);
    await deps.repoCache.ensureCommit(url, revision, sha, auth);
    return await treeAt(deps.repoCache, url, sha, need.fileGlobs, cap);
  } catch (err) {
    // A permanent failure (no such revision, bad credentials, over a Git limit) makes the commit invalid with
    // its message; anything else (unreachable) fails the activity, and the watcher's next poll tries again.
    if (err instanceof Error && (nonRetryableErrorTypes as readonly string[]).includes(err.name))
      return { error: `${url}: ${err.message}` };
    throw err;
  }
}

/** Everything the files' ApplicationSets read; nothing (no Git reads) when they hold none. */
export async function gatherGeneratorInputs(
  deps: GeneratorDeps,
  input: { repoId: string; url: string; sha: string; bound: string[]; files: SourceFile[]; cap: ByteCap },
): Promise<GeneratorInputs> {
  const needs = gitNeeds(input.files);
  const inputs: GeneratorInputs = {
    repoUrl: input.url,
    clusters: [{ name: 'in-cluster' }, ...(deps.clusters ?? [])],
  };
  const watched = needs.filter((n) => readsWatchedRepo(n.repoURL, inputs));
  if (watched.length)
    inputs.repo = await treeAt(
      deps.repoCache,
      input.url,
      input.sha,
      watched.flatMap((n) => n.fileGlobs),
      input.cap,
    );
  const others = new Map<string, GitNeed>();
  for (const n of needs.filter((x) => !readsWatchedRepo(x.repoURL, inputs))) {
    const key = `${otherRepoKey(n.repoURL as string, n.revision)}\u0000${n.project ?? ''}`;
    const known = others.get(key);
    others.set(key, known ? { ...n, fileGlobs: [...known.fileGlobs, ...n.fileGlobs] } : n);
  }
  for (const n of others.values()) {
    inputs.others ??= {};
    const key = otherRepoKey(n.repoURL as string, n.revision);
    const answer = await otherTree(deps, input.repoId, input.bound, n, input.cap);
    // One set refused by its Project refuses the repository for every set that names it: the strictest answer wins.
    if (!inputs.others[key] || 'error' in answer) inputs.others[key] = answer;
  }
  return inputs;
}
