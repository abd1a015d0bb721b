import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import git from 'isomorphic-git';
import { GitAuthError, GitLimitError, RevisionNotFoundError } from '../errors.js';
import { defaultGitLimits, type GitLimits } from '../trust/config.js';
import type { GitAuthCallbacks } from './auth.js';
import { type FetchTarget, fetchRef, fetchSha } from './fetch-commit.js';
import type { ByteCap, LimitContext } from './git-limits.js';
import { limitedHttp } from './limited-http.js';
import { changedFiles, readCounted, TreeBudget, walkCommit } from './tree-walk.js';

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * One bare repository per URL on disk, so a new commit fetches only the objects it adds. The worker's
 * Git limits hold throughout: a fetch is checked as it streams in (nothing over a limit is inflated or
 * stored) and reading or checking out a tree stops at the file and byte caps (GitLimitError).
 */
export class RepoCache {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly checkouts = new Map<string, Promise<string>>();

  constructor(
    private readonly root: string,
    private readonly limits: GitLimits = defaultGitLimits,
  ) {}

  /** The cache's git directory for a repository URL (named by a hash: URLs are not safe file names). */
  gitdir(url: string): string {
    return join(this.root, createHash('sha256').update(url).digest('hex').slice(0, 24));
  }

  /** Resolves a branch, tag or full commit SHA to a commit SHA on the server (ls-remote; fetches nothing). */
  async resolve(url: string, revision: string, auth: GitAuthCallbacks): Promise<string> {
    const [result] = await this.resolveMany(url, [revision], auth);
    if (result instanceof Error) throw result;
    return result as string;
  }

  /**
   * Resolves several branches, tags or SHAs of one repository with at most one ls-remote (none when
   * all are full SHAs): one answer lists every ref. Answers in order, a RevisionNotFoundError for a
   * name the server does not have; a failed ls-remote throws.
   */
  async resolveMany(url: string, revisions: string[], auth: GitAuthCallbacks): Promise<(string | Error)[]> {
    if (revisions.every((r) => FULL_SHA.test(r))) return revisions;
    const limited = limitedHttp(this.limits, { url, revision: revisions.join(',') });
    const refs = await git
      .listServerRefs({ http: limited.http, url, ...auth, peelTags: true, protocolVersion: 1 })
      .catch((err: unknown) => {
        throw limited.failure() ?? err;
      });
    return revisions.map((r) => pickRef(refs, url, r));
  }

  /**
   * Makes sure the commit and everything it references is in the cache, fetching from the server only
   * when it is missing. Fetches for one repository are serialised: isomorphic-git writes refs and packs.
   */
  async ensureCommit(
    url: string,
    revision: string,
    sha: string,
    auth: GitAuthCallbacks,
  ): Promise<{ fetched: boolean }> {
    // The SHA goes to the server as a "want" line: only ever a full SHA (ls-remote's answer or one given).
    if (!FULL_SHA.test(sha))
      throw new RevisionNotFoundError(`${JSON.stringify(sha)} is not a full commit SHA`);
    const gitdir = this.gitdir(url);
    return this.withLock(gitdir, async () => {
      if (!fs.existsSync(join(gitdir, 'config'))) {
        await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
        await git.addRemote({ fs, gitdir, remote: 'origin', url });
      }
      if (await this.hasCommit(gitdir, sha)) return { fetched: false };
      const branchOrTag = FULL_SHA.test(revision) ? undefined : revision;
      await this.fetch({ url, gitdir, auth, limits: this.limits }, sha, branchOrTag);
      // isomorphic-git offers the server only local refs as "haves": keep a local branch at the fetched
      // commit so the next fetch of this branch negotiates and receives only the new objects.
      if (branchOrTag && !(await this.isTag(gitdir, branchOrTag))) {
        await git.writeRef({ fs, gitdir, ref: `refs/heads/${branchOrTag}`, value: sha, force: true });
      }
      return { fetched: true };
    });
  }

  /**
   * Fetches the commit: a branch or tag first, as named (its commit is almost always on it); a SHA, or a
   * commit the branch no longer holds (force-pushed, deleted), by SHA; a server that refuses SHAs, every
   * branch and tag. Then a clear error naming the commit and what to do.
   */
  private async fetch(t: FetchTarget, sha: string, branchOrTag: string | undefined): Promise<void> {
    if (branchOrTag) {
      await fetchRef(t, sha, branchOrTag);
      if (await this.hasCommit(t.gitdir, sha)) return;
    }
    let refused: Error | undefined;
    await fetchSha(t, sha).catch((err: unknown) => {
      if (err instanceof GitLimitError || err instanceof GitAuthError) throw err;
      refused = err as Error;
    });
    if (await this.hasCommit(t.gitdir, sha)) return;
    if (!branchOrTag) await fetchRef(t, sha, undefined);
    if (await this.hasCommit(t.gitdir, sha)) return;
    throw new RevisionNotFoundError(
      `commit ${sha} is not in ${t.url}: ${branchOrTag ? `branch or tag "${branchOrTag}" does not hold it, ` : ''}no branch or tag does, and the server did not send it by SHA` +
        `${refused ? ` (${refused.message.split('\n')[0]})` : ''}. Push a branch or tag that holds the commit (or set targetRevision to one); ` +
        'a git http-backend server sends a commit no ref reaches only with uploadpack.allowAnySHA1InWant',
    );
  }

  /**
   * Reads every file under `path` at a commit, straight from the object store (no working tree to race
   * on). Every file and folder under `path` counts against git.maxFiles, every file read against
   * `cap` (default git.maxCheckoutBytes): they are all held in memory at once.
   */
  async readFiles(
    url: string,
    sha: string,
    path: string,
    accept: (file: string) => boolean,
    cap?: ByteCap,
  ): Promise<{ path: string; content: string }[]> {
    const gitdir = this.gitdir(url);
    // "", ".", "./" and "/" all mean the whole tree; "./apps/" means "apps".
    const prefix = path.replace(/^(\.?\/)+|\/+$/g, '').replace(/^\.$/, '');
    const smaller = cap && cap.bytes < this.limits.maxCheckoutBytes ? cap : undefined;
    const budget = new TreeBudget(this.limits, { url, revision: sha }, smaller);
    const cache = {};
    const files: { path: string; content: string }[] = [];
    for await (const file of walkCommit({ gitdir, sha, prefix, budget, cache })) {
      if (!accept(file.path)) continue;
      const content = await readCounted(gitdir, file, budget, cache);
      files.push({ path: file.path, content: Buffer.from(content).toString('utf8') });
    }
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Every file of a commit (paths from the root, symlinks left out: a generator must not follow one out), within git.maxFiles. */
  async listFiles(url: string, sha: string): Promise<string[]> {
    const gitdir = this.gitdir(url);
    const budget = new TreeBudget(this.limits, { url, revision: sha });
    const files: string[] = [];
    for await (const file of walkCommit({ gitdir, sha, prefix: '', budget, cache: {} }))
      if (file.mode !== '120000') files.push(file.path);
    return files.sort();
  }

  /**
   * A read-only copy of the whole tree at a commit, for renderers that need files on disk (kustomize,
   * helm). Written once per commit to a temporary folder and renamed into place, so a crash mid-way
   * leaves nothing half-written and concurrent activities share the result. Symlinks are skipped:
   * a manifest must not reach outside the repository. Over git.maxFiles or git.maxCheckoutBytes the
   * write stops and the temporary folder is removed.
   */
  async checkout(url: string, sha: string): Promise<string> {
    // Many applications of one repository sync the same commit at once: one write of the tree serves them all.
    const key = `${url}@${sha}`;
    const inFlight = this.checkouts.get(key);
    if (inFlight) return inFlight;
    const done = this.writeTree(url, sha).finally(() => this.checkouts.delete(key));
    this.checkouts.set(key, done);
    return done;
  }

  private async writeTree(url: string, sha: string): Promise<string> {
    const target = join(
      this.root,
      'trees',
      `${createHash('sha256').update(url).digest('hex').slice(0, 12)}-${sha}`,
    );
    if (fs.existsSync(target)) return target;
    const gitdir = this.gitdir(url);
    const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
    try {
      await this.writeFiles(gitdir, sha, tmp, { url, revision: sha });
      await fs.promises.rename(tmp, target);
    } catch (err) {
      await fs.promises.rm(tmp, { recursive: true, force: true });
      // Another activity finished the same checkout first: keep theirs.
      if (!fs.existsSync(target)) throw err;
    }
    return target;
  }

  /** Writes the files of a commit under `dir`, one at a time, within the file and byte caps. */
  private async writeFiles(gitdir: string, sha: string, dir: string, ctx: LimitContext): Promise<void> {
    const budget = new TreeBudget(this.limits, ctx);
    const cache = {};
    const made = new Set<string>();
    await fs.promises.mkdir(dir, { recursive: true });
    for await (const file of walkCommit({ gitdir, sha, prefix: '', budget, cache })) {
      if (file.mode === '120000') continue;
      const content = await readCounted(gitdir, file, budget, cache);
      const dest = join(dir, file.path);
      const parent = dirname(dest);
      if (!made.has(parent)) {
        await fs.promises.mkdir(parent, { recursive: true });
        made.add(parent);
      }
      await fs.promises.writeFile(dest, content, { mode: 0o444 });
    }
  }

  /** Files that differ between two commits already in the cache (every file when `from` is absent), within git.maxFiles. */
  async changedPaths(url: string, to: string, from?: string): Promise<string[]> {
    const budget = new TreeBudget(this.limits, { url, revision: to });
    return changedFiles({ gitdir: this.gitdir(url), to, ...(from ? { from } : {}), budget, cache: {} });
  }

  private async isTag(gitdir: string, name: string): Promise<boolean> {
    return (await git.listTags({ fs, gitdir })).includes(name);
  }

  private async hasCommit(gitdir: string, sha: string): Promise<boolean> {
    try {
      await git.readCommit({ fs, gitdir, oid: sha });
      return true;
    } catch {
      return false;
    }
  }

  private async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.locks.set(key, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(key) === next) this.locks.delete(key);
    }
  }
}

/** The commit a branch, tag or full SHA names among a server's refs (a tag peeled to its commit), or why not. */
export function pickRef(
  refs: { ref: string; oid: string; peeled?: string }[],
  url: string,
  revision: string,
): string | RevisionNotFoundError {
  if (FULL_SHA.test(revision)) return revision;
  const wanted =
    revision === 'HEAD' ? ['HEAD'] : [`refs/heads/${revision}`, `refs/tags/${revision}`, revision];
  for (const name of wanted) {
    const ref = refs.find((r) => r.ref === name);
    if (ref) return ref.peeled ?? ref.oid;
  }
  return new RevisionNotFoundError(`${url} has no branch or tag "${revision}"`);
}
