import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';

/** The demo's Git repository: a bare repo the stack's Git server serves, and a working clone that pushes to it. */
export function demoRepo(config: StackConfig, name: string) {
  const rel = `${name}.git`;
  const bare = join(stackPaths(config).gitRoot, rel);
  mkdirSync(dirname(bare), { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const work = mkdtempSync(join(tmpdir(), `${name}-`));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Sluice Demo', '-c', 'user.email=demo@sluice.dev', ...args], {
      cwd: work,
      encoding: 'utf8',
    }).trim();
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', bare);
  return {
    url: `http://${config.host}:${config.ports.git}/${rel}`,
    work,
    /** Writes the files, commits with the message and pushes; answers the commit SHA. */
    commit(files: Record<string, string>, message: string): string {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), content);
      }
      git('add', '-A');
      git('commit', '-q', '-m', message);
      git('push', '-q', 'origin', 'main');
      return git('rev-parse', 'HEAD');
    },
  };
}
