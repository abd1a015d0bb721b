import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';

const config = loadStackConfig();
const paths = stackPaths(config);
const base = `http://127.0.0.1:${config.ports.git}`;
const author = { name: 'Sluice Test', email: 'test@sluice.dev' };

/** Creates an empty bare repository served by the stack's Git server. */
function bareRepo(rel: string): void {
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(paths.gitRoot, rel)]);
}

/** A working tree with one commit, ready to push. */
async function localRepo(): Promise<{ dir: string; oid: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-git-'));
  await git.init({ fs: await import('node:fs'), dir, defaultBranch: 'main' });
  writeFileSync(join(dir, 'app.yaml'), 'kind: Demo\n');
  await git.add({ fs: await import('node:fs'), dir, filepath: 'app.yaml' });
  const oid = await git.commit({ fs: await import('node:fs'), dir, message: 'first', author });
  return { dir, oid };
}

describe('git smart HTTP server', () => {
  it('isomorphic-git pushes to and clones from a public repository', async () => {
    const fs = await import('node:fs');
    const name = `pub-${Date.now()}.git`;
    bareRepo(name);
    const { dir, oid } = await localRepo();
    const push = await git.push({ fs, http, dir, url: `${base}/${name}`, ref: 'main' });
    expect(push.ok).toBe(true);
    const clone = mkdtempSync(join(tmpdir(), 'sluice-clone-'));
    await git.clone({ fs, http, dir: clone, url: `${base}/${name}`, ref: 'main', singleBranch: true });
    expect(await git.resolveRef({ fs, dir: clone, ref: 'HEAD' })).toBe(oid);
  });

  it('asks for credentials under /private/ and refuses wrong ones with 401', async () => {
    const fs = await import('node:fs');
    const name = `private/priv-${Date.now()}.git`;
    mkdirSync(join(paths.gitRoot, 'private'), { recursive: true });
    bareRepo(name);
    const user = `u${Date.now()}`;
    appendFileSync(paths.gitUsers, `${user}:s3cret\n`);
    const url = `${base}/${name}`;
    const { dir, oid } = await localRepo();
    await expect(
      git.push({ fs, http, dir, url, ref: 'main', onAuth: () => ({ username: user, password: 'wrong' }) }),
    ).rejects.toMatchObject({ code: 'HttpError', data: { statusCode: 401 } });
    const ok = await git.push({
      fs,
      http,
      dir,
      url,
      ref: 'main',
      onAuth: () => ({ username: user, password: 's3cret' }),
    });
    expect(ok.ok).toBe(true);
    const refs = await git.listServerRefs({
      http,
      url,
      onAuth: () => ({ username: user, password: 's3cret' }),
    });
    expect(refs.find((r) => r.ref === 'refs/heads/main')?.oid).toBe(oid);
  });
});
