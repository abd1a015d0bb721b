import * as fs from 'node:fs';
import git from 'isomorphic-git';
import type { GitLimits } from '../trust/config.js';
import { type ByteCap, formatBytes, type LimitContext, overCap, overLimit } from './git-limits.js';

/** A file (blob) of a commit's tree. */
export interface TreeFile {
  path: string;
  oid: string;
  /** Git mode: "100644", "100755" or "120000" (a symlink, whose content is its target). */
  mode: string;
}

/**
 * Counts what a walk of a commit's tree reaches against maxFiles and maxCheckoutBytes. Repeats count:
 * a folder that a tree lists a thousand times is a thousand folders on disk, and is counted so.
 */
export class TreeBudget {
  entries = 0;
  bytes = 0;
  private readonly sizes = new Map<string, number>();

  constructor(
    private readonly limits: GitLimits,
    private readonly ctx: LimitContext,
    /** Total bytes read allowed (default git.maxCheckoutBytes). */
    private readonly cap: ByteCap = {
      bytes: limits.maxCheckoutBytes,
      note: 'git.maxCheckoutBytes in the worker config',
    },
  ) {}

  /** Counts one file or folder; throws once there are more than maxFiles. */
  entry(path: string): void {
    if (++this.entries > this.limits.maxFiles)
      throw overLimit(
        this.ctx,
        `the tree has more files and folders than that (stopped at ${path})`,
        'maxFiles',
        this.limits,
      );
  }

  /** Counts a blob about to be read, when its size is already known (it was read before): throws before reading it again. */
  before(file: TreeFile): void {
    const size = this.sizes.get(file.oid);
    if (size !== undefined) this.check(file, size);
  }

  /** Counts a blob just read; throws before it is used when the total passes maxCheckoutBytes. */
  read(file: TreeFile, size: number): void {
    if (!this.sizes.has(file.oid)) {
      this.sizes.set(file.oid, size);
      this.check(file, size);
    }
    this.bytes += size;
  }

  private check(file: TreeFile, size: number): void {
    if (this.bytes + size > this.cap.bytes)
      throw overCap(
        this.ctx,
        `the files add up to more than ${formatBytes(this.bytes + size)} (stopped at ${file.path}, ${formatBytes(size)})`,
        formatBytes(this.cap.bytes),
        this.cap.note,
      );
  }
}

/**
 * The files of a commit under `prefix` ("" for all), one at a time, depth first, nothing in parallel.
 * The trees are walked once alone first, counting every file and folder under the prefix: a tree that
 * fans out to millions of paths is refused after maxFiles of them, before any file is read or written.
 */
export async function* walkCommit(opts: {
  gitdir: string;
  sha: string;
  prefix: string;
  budget: TreeBudget;
  cache: object;
}): AsyncGenerator<TreeFile> {
  for await (const _ of treeFiles(opts, true));
  yield* treeFiles(opts, false);
}

async function* treeFiles(
  opts: { gitdir: string; sha: string; prefix: string; budget: TreeBudget; cache: object },
  count: boolean,
): AsyncGenerator<TreeFile> {
  const { gitdir, prefix, budget, cache } = opts;
  const { commit } = await git.readCommit({ fs, gitdir, oid: opts.sha, cache });
  const folders = [{ path: '', oid: commit.tree }];
  for (let folder = folders.pop(); folder; folder = folders.pop()) {
    const { tree } = await git.readTree({ fs, gitdir, oid: folder.oid, cache });
    for (const e of tree) {
      const path = folder.path ? `${folder.path}/${e.path}` : e.path;
      const inside = prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
      if (!inside && !prefix.startsWith(`${path}/`)) continue; // not on the way to the prefix
      if (inside && count) budget.entry(path);
      if (e.type === 'tree') folders.push({ path, oid: e.oid });
      else if (e.type === 'blob' && inside) yield { path, oid: e.oid, mode: e.mode };
    }
  }
}

/** Reads a file's content, counting it against the budget before it is used. */
export async function readCounted(
  gitdir: string,
  file: TreeFile,
  budget: TreeBudget,
  cache: object,
): Promise<Uint8Array> {
  budget.before(file);
  const { blob } = await git.readBlob({ fs, gitdir, oid: file.oid, cache });
  budget.read(file, blob.byteLength);
  return blob;
}

/**
 * The paths of files that differ between two commits (every file of `to` when `from` is absent), one
 * folder at a time: subtrees equal on both sides are skipped, everything else counts against maxFiles.
 */
export async function changedFiles(opts: {
  gitdir: string;
  from?: string;
  to: string;
  budget: TreeBudget;
  cache: object;
}): Promise<string[]> {
  const { gitdir, budget, cache } = opts;
  const rootOf = async (sha?: string) =>
    sha ? (await git.readCommit({ fs, gitdir, oid: sha, cache })).commit.tree : undefined;
  const entriesOf = async (oid?: string) =>
    new Map(oid ? (await git.readTree({ fs, gitdir, oid, cache })).tree.map((e) => [e.path, e]) : []);
  const changed: string[] = [];
  const folders = [{ path: '', a: await rootOf(opts.from), b: await rootOf(opts.to) }];
  for (let folder = folders.pop(); folder; folder = folders.pop()) {
    const [a, b] = [await entriesOf(folder.a), await entriesOf(folder.b)];
    for (const name of new Set([...a.keys(), ...b.keys()])) {
      const [x, y] = [a.get(name), b.get(name)];
      if (x && y && x.oid === y.oid && x.type === y.type) continue; // the same on both sides
      const path = folder.path ? `${folder.path}/${name}` : name;
      budget.entry(path);
      const [xTree, yTree] = [x?.type === 'tree' ? x.oid : undefined, y?.type === 'tree' ? y.oid : undefined];
      if (xTree || yTree) folders.push({ path, a: xTree, b: yTree });
      if ((x && x.type !== 'tree') || (y && y.type !== 'tree')) changed.push(path);
    }
  }
  return changed.sort();
}
