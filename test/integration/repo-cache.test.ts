import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RevisionNotFoundError } from '../../activities/errors.js';
import { gitAuth } from '../../activities/git/auth.js';
import { RepoCache } from '../../activities/git/repo-cache.js';
import { servedRepo } from './helpers/git-repo.js';

/** Object count of each pack in the cache, by pack file name. */
function packSizes(gitdir: string): Map<string, number> {
  const dir = join(gitdir, 'objects', 'pack');
  const sizes = new Map<string, number>();
  for (const idx of readdirSync(dir).filter((f) => f.endsWith('.idx'))) {
    const lines = execFileSync('git', ['show-index'], {
      input: readFileSync(join(dir, idx)),
      encoding: 'utf8',
    });
    sizes.set(idx, lines.trim().split('\n').length);
  }
  return sizes;
}

describe('per-repository Git cache', () => {
  const repo = servedRepo('cache');
  const cache = new RepoCache(mkdtempSync(join(tmpdir(), 'sluice-cache-')));
  const auth = gitAuth(repo.url, undefined);

  it('resolves branches, tags and SHAs, and fetches only the objects a new commit adds', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`deploy/f${i}.yaml`] = `n: ${i}\n`;
    const sha1 = repo.commit(files, 'twenty files');
    expect(await cache.resolve(repo.url, 'main', auth)).toBe(sha1);
    expect(await cache.ensureCommit(repo.url, 'main', sha1, auth)).toEqual({ fetched: true });
    const first = packSizes(cache.gitdir(repo.url));
    expect([...first.values()]).toEqual([23]); // commit + 2 trees + 20 blobs

    const sha2 = repo.commit({ 'deploy/new.yaml': 'n: new\n' }, 'one more');
    expect(await cache.ensureCommit(repo.url, 'main', sha2, auth)).toEqual({ fetched: true });
    const second = packSizes(cache.gitdir(repo.url));
    const added = [...second].filter(([name]) => !first.has(name)).map(([, n]) => n);
    expect(added).toEqual([4]); // commit + 2 trees + 1 blob: nothing from the first commit again

    // Already cached: no fetch at all.
    expect(await cache.ensureCommit(repo.url, 'main', sha2, auth)).toEqual({ fetched: false });
    const read = await cache.readFiles(repo.url, sha1, 'deploy', (f) => f.endsWith('.yaml'));
    expect(read).toHaveLength(20);
    expect(read[0]).toEqual({ path: 'deploy/f0.yaml', content: 'n: 0\n' });
  });

  it('checks a commit out once, read-only, however many activities ask at the same time', async () => {
    const sha = await cache.resolve(repo.url, 'main', auth);
    const dirs = await Promise.all(Array.from({ length: 5 }, () => cache.checkout(repo.url, sha)));
    expect(new Set(dirs).size).toBe(1);
    const dir = dirs[0] as string;
    expect(readFileSync(join(dir, 'deploy/new.yaml'), 'utf8')).toBe('n: new\n');
    expect(statSync(join(dir, 'deploy/new.yaml')).mode & 0o222).toBe(0);
    expect(readdirSync(join(dir, '..')).filter((d) => d.includes('.tmp-'))).toEqual([]);
  });

  it('names a missing branch', async () => {
    await expect(cache.resolve(repo.url, 'no-such-branch', auth)).rejects.toBeInstanceOf(
      RevisionNotFoundError,
    );
    await expect(cache.resolve(repo.url, 'no-such-branch', auth)).rejects.toThrow(
      'has no branch or tag "no-such-branch"',
    );
  });
});
