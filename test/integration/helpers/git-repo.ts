import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadStackConfig } from '../../../scripts/stack/config.js';
import { stackPaths } from '../../../scripts/stack/paths.js';

/** A bare repository served by the stack's Git server plus a working clone that commits and pushes with system git. */
export function servedRepo(name: string, opts: { private?: { user: string; password: string } } = {}) {
  const config = loadStackConfig();
  const paths = stackPaths(config);
  const rel = `${opts.private ? 'private/' : ''}${name}-${Date.now().toString(36)}.git`;
  const bare = join(paths.gitRoot, rel);
  mkdirSync(dirname(bare), { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const url = `http://127.0.0.1:${config.ports.git}/${rel}`;
  const work = mkdtempSync(join(tmpdir(), `sluice-work-${name}-`));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Sluice Test', '-c', 'user.email=test@sluice.dev', ...args], {
      cwd: work,
      encoding: 'utf8',
    }).trim();
  git('init', '-q', '-b', 'main');
  // The working clone pushes straight into the bare repository on disk; only Sluice reads over HTTP.
  git('remote', 'add', 'origin', bare);
  return {
    url,
    /** The working clone, for tests that build commits with git plumbing. */
    work,
    /** Runs system git in the working clone; returns its trimmed output. */
    git,
    /** Writes files (path → content, null deletes), commits and pushes; returns the new commit SHA. */
    commit(files: Record<string, string | null>, message = 'update'): string {
      for (const [path, content] of Object.entries(files)) {
        const full = join(work, path);
        if (content === null) rmSync(full, { force: true });
        else {
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, content);
        }
      }
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      git('push', '-q', 'origin', 'main');
      return git('rev-parse', 'HEAD');
    },
  };
}
