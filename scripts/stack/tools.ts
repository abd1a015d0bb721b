import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StackContext } from './context.js';
import { trafficCrdFiles } from './crds.js';
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
  ...trafficCrdFiles,
] as const;

/** Runs scripts/bootstrap-tools.sh when a tool is missing; it is idempotent and prints its own progress. */
export function ensureTools(ctx: StackContext): void {
  const missing = requiredTools.filter((t) => !existsSync(ctx.tool(t)));
  const hasPrometheus = spawnSync('sh', ['-c', 'command -v prometheus']).status === 0;
  if (missing.length === 0 && hasPrometheus) return;
  ctx.progress(
    `tools: missing ${[...missing, ...(hasPrometheus ? [] : ['prometheus'])].join(', ')}; bootstrapping`,
  );
  const script = join(projectRoot(), 'scripts', 'bootstrap-tools.sh');
  const result = spawnSync('bash', [script], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, SLUICE_TOOLS_DIR: join(ctx.config.toolsBin, '..') },
  });
  if (result.status !== 0)
    throw new Error(`tool bootstrap failed (exit ${result.status}); see the lines above`);
}
