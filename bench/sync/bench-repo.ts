import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BenchStack } from '../lib/stack.js';

/** A bare repository in the stack's Git root, served over HTTP, and a scratch clone that pushes to it. */
export interface BenchRepo {
  url: string;
  /** Commits `files` (path → content) on main and pushes; returns the commit. */
  push: (files: Record<string, string>, message: string) => string;
  /** Deletes the bare repository and the scratch clone. */
  remove: () => void;
}

/**
 * Creates `bench/<name>.git` in the stack's Git root with one commit holding only a README (a branch a
 * watcher can resolve, with no pipeline files yet), as test/integration/helpers/git-repo.ts does: system
 * git commits in a scratch clone and pushes to the bare repository on disk; only Sluice reads it over HTTP.
 */
export function createBenchRepo(stack: BenchStack, name: string): BenchRepo {
  const rel = `bench/${name}.git`;
  const bare = join(stack.gitRoot, rel);
  mkdirSync(dirname(bare), { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const work = mkdtempSync(join(tmpdir(), 'sluice-bench-repo-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Sluice Bench', '-c', 'user.email=bench@sluice.dev', ...args], {
      cwd: work,
      encoding: 'utf8',
    }).trim();
  git('init', '-q', '-b', 'main');
  const push = (files: Record<string, string>, message: string) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    git('add', '-A');
    git('commit', '-q', '-m', message);
    git('push', '-q', bare, 'main');
    return git('rev-parse', 'HEAD');
  };
  push({ 'README.md': 'Sluice sync benchmark\n' }, 'bench: empty');
  return {
    url: stack.gitUrl(rel),
    push,
    remove: () => {
      rmSync(bare, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
}
