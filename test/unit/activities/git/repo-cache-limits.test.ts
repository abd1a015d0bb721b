import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitLimitError } from '../../../../activities/errors.js';
import { RepoCache } from '../../../../activities/git/repo-cache.js';
import { defaultGitLimits, type GitLimits } from '../../../../activities/trust/config.js';
import { commitTree, fanoutTree, removeTempDirs, tempDir, tempRepo } from '../../../fixtures/git-bombs.js';

const MiB = 1024 * 1024;

/** A RepoCache whose cache already holds `dir`'s objects for `url` (as if fetched), with the given limits. */
function cacheOf(dir: string, url: string, limits: Partial<GitLimits> = {}) {
  const root = tempDir('cache-limits');
  const cache = new RepoCache(root, { ...defaultGitLimits, ...limits });
  execFileSync('git', ['clone', '-q', '--bare', dir, cache.gitdir(url)]);
  return { cache, root };
}

/** What is left under the cache's checkouts folder. */
const leftovers = (root: string) => (existsSync(join(root, 'trees')) ? readdirSync(join(root, 'trees')) : []);

describe('reading and checking out within the Git limits', () => {
  afterAll(removeTempDirs);
  const url = 'http://git.example/team/bombs.git';

  it('checks out and reads a normal tree', async () => {
    const { dir: repo, git } = tempRepo('tree-normal');
    const sha = commitTree(git, 'apps', fanoutTree(git, 3, 2, 'a: 1\n'));
    const { cache } = cacheOf(repo, url);
    const dir = await cache.checkout(url, sha);
    expect(readFileSync(join(dir, 'apps/d2/f1.yaml'), 'utf8')).toBe('a: 1\n');
    const files = await cache.readFiles(url, sha, 'apps/d0', (f) => f.endsWith('.yaml'));
    expect(files.map((f) => f.path)).toEqual(['apps/d0/f0.yaml', 'apps/d0/f1.yaml', 'apps/d0/f2.yaml']);
  });

  it('stops a tree that fans out to a million files at maxFiles, quickly, leaving nothing on disk', async () => {
    const { dir, git } = tempRepo('tree-fanout');
    const sha = commitTree(git, 'apps', fanoutTree(git, 32, 4, 'a: 1\n')); // 32^4 = 1,048,576 files
    const { cache, root } = cacheOf(dir, url, { maxFiles: 5000 });
    const started = Date.now();
    const err = await cache.checkout(url, sha).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitLimitError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^http://git\\.example/team/bombs\\.git at ${sha}: the tree has more files and folders than that \\(stopped at apps/.+\\), over the limit of 5,000 \\(git\\.maxFiles in the worker config\\)$`,
      ),
    );
    expect(leftovers(root)).toEqual([]);
    await expect(cache.readFiles(url, sha, 'apps', () => true)).rejects.toThrow('git.maxFiles');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops a blob repeated past maxCheckoutBytes before writing it, leaving nothing on disk', async () => {
    const { dir, git } = tempRepo('tree-bytes');
    const sha = commitTree(git, 'data', fanoutTree(git, 16, 2, Buffer.alloc(MiB))); // 256 × 1 MiB
    const { cache, root } = cacheOf(dir, url, { maxCheckoutBytes: 8 * MiB });
    const err = await cache.checkout(url, sha).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitLimitError);
    expect((err as Error).message).toMatch(
      /the files add up to more than 9 MiB \(stopped at data\/d\d+\/f\d+\.yaml, 1 MiB\), over the limit of 8 MiB \(git\.maxCheckoutBytes/,
    );
    expect(leftovers(root)).toEqual([]);
    await expect(cache.readFiles(url, sha, '', () => true)).rejects.toThrow('git.maxCheckoutBytes');
    // Files outside the path read are not counted.
    await expect(cache.readFiles(url, sha, 'elsewhere', () => true)).resolves.toEqual([]);
  });

  it('reads pipeline files within their own, smaller cap', async () => {
    const { dir, git } = tempRepo('tree-pipeline');
    const sha = commitTree(git, 'apps', fanoutTree(git, 8, 1, Buffer.alloc(512 * 1024, 'a'))); // 8 × 512 KiB
    const { cache } = cacheOf(dir, url);
    const note = 'pipeline files are read and parsed in memory at once; keep them small';
    await expect(
      cache.readFiles(url, sha, 'apps', () => true, { bytes: 4 * MiB, note }),
    ).resolves.toHaveLength(8);
    await expect(cache.readFiles(url, sha, 'apps', () => true, { bytes: 3 * MiB, note })).rejects.toThrow(
      /the files add up to more than 3\.5 MiB \(stopped at apps\/f\d\.yaml, 512 KiB\), over the limit of 3 MiB \(pipeline files are read/,
    );
  });

  it('lists the files two commits differ in, and stops a fan-out at maxFiles', async () => {
    const { dir, git } = tempRepo('tree-diff');
    const one = commitTree(git, 'apps', fanoutTree(git, 3, 2, 'a: 1\n'));
    const two = commitTree(git, 'charts', fanoutTree(git, 2, 1, 'b: 2\n'), one);
    const three = commitTree(git, 'deploy', fanoutTree(git, 32, 4, 'c: 3\n'), two); // 1,048,576 files
    const { cache } = cacheOf(dir, url);
    expect(await cache.changedPaths(url, two, one)).toEqual(['charts/f0.yaml', 'charts/f1.yaml']);
    expect(await cache.changedPaths(url, one)).toHaveLength(9);
    expect(await cache.changedPaths(url, one, one)).toEqual([]);
    const started = Date.now();
    await expect(cache.changedPaths(url, three, two)).rejects.toThrow(
      /the tree has more files and folders than that \(stopped at deploy\/.+\), over the limit of 50,000 \(git\.maxFiles/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
