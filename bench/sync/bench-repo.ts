import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BenchStack } from '../lib/stack.js';

/** A bare repository in the stack's Git root holding one commit, served over HTTP. */
export interface BenchRepo {
  url: string;
  sha: string;
  /** Deletes the bare repository. */
  remove: () => void;
}

/**
 * Creates `bench/<name>.git` in the stack's Git root with `files` (path → content) in one commit on
 * main, as test/integration/helpers/git-repo.ts does: system git commits in a scratch clone and pushes
 * to the bare repository on disk; only Sluice reads it over HTTP.
 */
export function createBenchRepo(stack: BenchStack, name: string, files: Record<string, string>): BenchRepo {
  const rel = `bench/${name}.git`;
  const bare = join(stack.gitRoot, rel);
  mkdirSync(dirname(bare), { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const work = mkdtempSync(join(tmpdir(), 'sluice-bench-repo-'));
  try {
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Sluice Bench', '-c', 'user.email=bench@sluice.dev', ...args], {
        cwd: work,
        encoding: 'utf8',
      }).trim();
    git('init', '-q', '-b', 'main');
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    git('add', '-A');
    git('commit', '-q', '-m', `bench: ${Object.keys(files).length} files`);
    git('push', '-q', bare, 'main');
    return {
      url: stack.gitUrl(rel),
      sha: git('rev-parse', 'HEAD'),
      remove: () => rmSync(bare, { recursive: true, force: true }),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
