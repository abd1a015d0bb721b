import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackContext } from './context.js';
import { isRunning, startDetached } from './processes.js';
import { httpOk, waitUntil } from './wait.js';

/** URL and health of the local Prometheus. */
export interface PrometheusStatus {
  url: string;
  healthy: boolean;
}

/** Names of the processes this component starts. */
export const prometheusProcesses = ['prometheus'];

/** Prometheus base URL for a context. */
export function prometheusUrl(ctx: StackContext): string {
  return `http://${ctx.config.host}:${ctx.config.ports.prometheus}`;
}

/** The Prometheus binary: Debian's package puts it on PATH. */
function prometheusBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v prometheus']).toString().trim();
  } catch {
    throw new Error(
      "prometheus is not installed: run scripts/bootstrap-tools.sh (it installs Debian's prometheus)",
    );
  }
}

/** Writes the scrape config (itself plus file-discovered targets that tests and fixtures add) and starts Prometheus. */
export async function startPrometheus(ctx: StackContext): Promise<void> {
  const bin = prometheusBinary();
  if (isRunning(ctx.paths, 'prometheus', bin)) {
    ctx.progress('prometheus: already running');
    return;
  }
  mkdirSync(ctx.paths.prometheusTargets, { recursive: true });
  const configFile = join(ctx.paths.prometheus, 'prometheus.yml');
  writeFileSync(
    configFile,
    `global:
  scrape_interval: 2s
  evaluation_interval: 2s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['${ctx.config.host}:${ctx.config.ports.prometheus}']
  # Metric fixtures (simulated mesh telemetry) drop target files here; Prometheus picks them up live.
  - job_name: fixtures
    file_sd_configs:
      - files: ['${ctx.paths.prometheusTargets}/*.json']
        refresh_interval: 2s
`,
  );
  ctx.progress(`prometheus: starting (log: ${ctx.paths.logFile('prometheus')})`);
  startDetached(ctx.paths, {
    name: 'prometheus',
    command: bin,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(ctx.paths.prometheus, 'tsdb')}`,
      `--web.listen-address=${ctx.config.host}:${ctx.config.ports.prometheus}`,
      '--web.enable-lifecycle',
      '--log.format=json',
    ],
  });
  await waitUntil('prometheus', () => httpOk(`${prometheusUrl(ctx)}/-/ready`), {
    timeoutMs: 60_000,
    progress: ctx.progress,
    logFile: ctx.paths.logFile('prometheus'),
    stillAlive: () => isRunning(ctx.paths, 'prometheus', bin),
  });
}

/** Reports Prometheus's URL and whether /-/ready answers. */
export async function prometheusStatus(ctx: StackContext): Promise<PrometheusStatus> {
  const url = prometheusUrl(ctx);
  return { url, healthy: await httpOk(`${url}/-/ready`) };
}
