import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RevisionNotFoundError } from '../../../../activities/errors.js';
import { gitAuth } from '../../../../activities/git/auth.js';
import { RepoCache } from '../../../../activities/git/repo-cache.js';

// A commit is fetched by SHA ("want <sha>" on the wire): a value that is not a full SHA never gets that far.
describe('RepoCache.ensureCommit with a value that is not a full SHA', () => {
  const url = 'http://127.0.0.1:1/never-contacted.git';
  it.each([
    ['a short SHA', 'deadbee'],
    ['an extra want line', `${'a'.repeat(40)}\nwant ${'b'.repeat(40)}`],
    ['a ref name', 'refs/pull/1/head'],
  ])('refuses %s before contacting the server or creating the cache', async (_what, sha) => {
    const root = mkdtempSync(join(tmpdir(), 'sluice-cache-sha-'));
    const cache = new RepoCache(root);
    await expect(cache.ensureCommit(url, 'main', sha, gitAuth(url, undefined))).rejects.toThrow(
      RevisionNotFoundError,
    );
    expect(readdirSync(root)).toEqual([]);
  });
});
