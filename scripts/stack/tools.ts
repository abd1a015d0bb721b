import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StackContext } from './context.js';
import { trafficCrdFiles } from './crds.js';
import { postgresBin } from './postgres.js';
import { projectRoot } from './project-root.js';

/** Binaries the stack runs from the tools cache. */
export const requiredTools = [
  'temporal',
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'kwok-stages.yaml',
  // The chart repository indexes uploads with it.
  'helm',
  ...trafficCrdFiles,
] as const;

/** What `--temporal postgres` adds, built only when that mode is asked for (`bootstrap-tools.sh --temporal-server`). */
export const temporalServerTools = [
  'temporal-server',
  'temporal-sql-tool',
  'temporal-ui-server',
  'temporal-postgres-schema',
] as const;

/** Builds the Temporal server, its SQL tool and UI server (and installs PostgreSQL) when one is missing. */
export function ensureTemporalServerTools(ctx: StackContext): void {
  const missing: string[] = temporalServerTools.filter((t) => !existsSync(ctx.tool(t)));
  if (!existsSync(postgresBin('postgres'))) missing.push('postgresql');
  if (missing.length === 0) return;
  ctx.progress(
    `tools: missing ${missing.join(', ')}; building them for --temporal postgres (first time only: ~10 min on 2 CPUs, log in the tools cache)`,
  );
  bootstrap(ctx, ['--temporal-server']);
}

/** Runs scripts/bootstrap-tools.sh when a tool is missing; it is idempotent and prints its own progress. */
export function ensureTools(ctx: StackContext): void {
  const missing = requiredTools.filter((t) => !existsSync(ctx.tool(t)));
  // Debian packages put these on PATH rather than in the tools cache.
  const onPath = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
  const missingPackages = ['prometheus', 'docker-registry', 'htpasswd'].filter((b) => !onPath(b));
  if (missing.length === 0 && missingPackages.length === 0) return;
  ctx.progress(`tools: missing ${[...missing, ...missingPackages].join(', ')}; bootstrapping`);
  bootstrap(ctx, []);
}

function bootstrap(ctx: StackContext, args: string[]): void {
  const script = join(projectRoot(), 'scripts', 'bootstrap-tools.sh');
  const result = spawnSync('bash', [script, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, SLUICE_TOOLS_DIR: join(ctx.config.toolsBin, '..') },
  });
  if (result.status !== 0)
    throw new Error(`tool bootstrap failed (exit ${result.status}); see the lines above`);
}
