import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StackContext } from './context.js';
import { isRunning, startDetached } from './processes.js';
import { httpOk, waitUntil } from './wait.js';

/** Base URL and health of the local Git smart-HTTP server. */
export interface GitStatus {
  url: string;
  healthy: boolean;
}

/** Names of the processes this component starts. */
export const gitProcesses = ['git-http'];

/** Base URL under which repositories in the data dir's git/ folder are served. */
export function gitUrl(ctx: StackContext): string {
  return `http://${ctx.config.host}:${ctx.config.ports.git}`;
}

/** The compiled server script (the stack runs it with this Node, whether we run from dist or from source). */
function serverScript(): string {
  for (const rel of ['./git-http-server.js', '../../dist/scripts/stack/git-http-server.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('dist/scripts/stack/git-http-server.js is missing: run `npm run build` first');
}

/** Starts the Git smart-HTTP server over the data dir's git/ folder. */
export async function startGit(ctx: StackContext): Promise<void> {
  if (isRunning(ctx.paths, 'git-http', process.execPath)) {
    ctx.progress('git-http: already running');
    return;
  }
  mkdirSync(ctx.paths.gitRoot, { recursive: true });
  if (!existsSync(ctx.paths.gitUsers)) writeFileSync(ctx.paths.gitUsers, '', { mode: 0o600 });
  ctx.progress(`git-http: starting (log: ${ctx.paths.logFile('git-http')})`);
  startDetached(ctx.paths, {
    name: 'git-http',
    command: process.execPath,
    args: [
      serverScript(),
      ctx.config.host,
      String(ctx.config.ports.git),
      ctx.paths.gitRoot,
      ctx.paths.gitUsers,
    ],
  });
  await waitUntil('git-http', () => httpOk(`${gitUrl(ctx)}/healthz`), {
    timeoutMs: 30_000,
    progress: ctx.progress,
    logFile: ctx.paths.logFile('git-http'),
    stillAlive: () => isRunning(ctx.paths, 'git-http', process.execPath),
  });
}

/** Reports the Git server's URL and whether it answers. */
export async function gitStatus(ctx: StackContext): Promise<GitStatus> {
  const url = gitUrl(ctx);
  return { url, healthy: await httpOk(`${url}/healthz`) };
}
