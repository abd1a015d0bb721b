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

  // Real servers' odd states: the branch or tag Sluice is told is fetched whatever the server's HEAD says.
  it('fetches a branch or a tag from a repository whose HEAD names no branch (renamed default, tags only)', async () => {
    const odd = servedRepo('odd-head');
    const sha = odd.commit({ 'app.yaml': 'n: 1\n' }, 'on main');
    const bare = odd.git('remote', 'get-url', 'origin');
    // The default branch renamed on the server: HEAD still names main, which is gone.
    odd.git('push', '-q', 'origin', 'main:refs/heads/trunk');
    execFileSync('git', ['--git-dir', bare, 'update-ref', '-d', 'refs/heads/main']);
    odd.git('push', '-q', 'origin', `${sha}:refs/tags/v1`);
    expect(
      execFileSync('git', ['--git-dir', bare, 'symbolic-ref', 'HEAD'], { encoding: 'utf8' }).trim(),
    ).toBe('refs/heads/main');
    const oddAuth = gitAuth(odd.url, undefined);
    const fresh = () => new RepoCache(mkdtempSync(join(tmpdir(), 'sluice-cache-odd-')));
    expect(await cache.resolve(odd.url, 'trunk', oddAuth)).toBe(sha);
    expect(await fresh().ensureCommit(odd.url, 'trunk', sha, oddAuth)).toEqual({ fetched: true });
    expect(await fresh().ensureCommit(odd.url, sha, sha, oddAuth)).toEqual({ fetched: true });

    // Tags only: no branch at all.
    execFileSync('git', ['--git-dir', bare, 'update-ref', '-d', 'refs/heads/trunk']);
    expect(await cache.resolve(odd.url, 'v1', oddAuth)).toBe(sha);
    const tagged = fresh();
    expect(await tagged.ensureCommit(odd.url, 'v1', sha, oddAuth)).toEqual({ fetched: true });
    expect(await tagged.readFiles(odd.url, sha, '', () => true)).toEqual([
      { path: 'app.yaml', content: 'n: 1\n' },
    ]);
  });

  // A targetRevision that is a commit no branch or tag holds: its branch deleted after a pull request
  // was opened (GitHub keeps refs/pull/<n>/head), on a server whose HEAD names a branch that is gone.
  it('fetches a detached commit by SHA, and names it with what to do when the server will not send it', async () => {
    const pr = servedRepo('detached');
    const base = pr.commit({ 'app.yaml': 'n: 1\n', 'big.yaml': `x: ${'y'.repeat(4000)}\n` }, 'on main');
    const bare = pr.git('remote', 'get-url', 'origin');
    pr.git('checkout', '-q', '-b', 'feature');
    const sha = pr.commit({ 'app.yaml': 'n: 2\n' }, 'on feature');
    pr.git('push', '-q', 'origin', 'feature:refs/heads/feature', `${sha}:refs/pull/1/head`);
    execFileSync('git', ['--git-dir', bare, 'update-ref', '-d', 'refs/heads/feature']);
    execFileSync('git', ['--git-dir', bare, 'symbolic-ref', 'HEAD', 'refs/heads/nope']);
    const prAuth = gitAuth(pr.url, undefined);
    const fresh = () => new RepoCache(mkdtempSync(join(tmpdir(), 'sluice-cache-pr-')));

    expect(await cache.resolve(pr.url, sha, prAuth)).toBe(sha);
    const detached = fresh();
    expect(await detached.ensureCommit(pr.url, sha, sha, prAuth)).toEqual({ fetched: true });
    expect(await detached.readFiles(pr.url, sha, '', (f) => f === 'app.yaml')).toEqual([
      { path: 'app.yaml', content: 'n: 2\n' },
    ]);
    // A cache that holds main already receives only what the pull request adds (commit, tree, blob).
    const warm = fresh();
    expect(await warm.ensureCommit(pr.url, 'main', base, prAuth)).toEqual({ fetched: true });
    const before = packSizes(warm.gitdir(pr.url));
    expect(await warm.ensureCommit(pr.url, sha, sha, prAuth)).toEqual({ fetched: true });
    const added = [...packSizes(warm.gitdir(pr.url))].filter(([name]) => !before.has(name)).map(([, n]) => n);
    expect(added).toEqual([3]);

    // The pull request's ref deleted too: no ref reaches the commit, which http-backend then refuses.
    execFileSync('git', ['--git-dir', bare, 'update-ref', '-d', 'refs/pull/1/head']);
    const refused = fresh().ensureCommit(pr.url, sha, sha, prAuth);
    await expect(refused).rejects.toBeInstanceOf(RevisionNotFoundError);
    await expect(refused).rejects.toThrow(
      new RegExp(
        `^commit ${sha} is not in ${pr.url.replace(/\./g, '\\.')}: no branch or tag does, and the server did not send it by SHA.*Push a branch or tag that holds the commit .*uploadpack\\.allowAnySHA1InWant$`,
      ),
    );
    // A server that allows any SHA sends it.
    execFileSync('git', ['--git-dir', bare, 'config', 'uploadpack.allowAnySHA1InWant', 'true']);
    expect(await fresh().ensureCommit(pr.url, sha, sha, prAuth)).toEqual({ fetched: true });
    // A branch that no longer holds the commit it was resolved to (force-pushed since): fetched by SHA too.
    expect(await fresh().ensureCommit(pr.url, 'main', sha, prAuth)).toEqual({ fetched: true });
  });
});
