import { rmSync } from 'node:fs';
import { type ChartRepoStatus, chartRepoProcesses, chartRepoStatus, startChartRepo } from './chart-repo.js';
import type { StackConfig } from './config.js';
import { type StackContext, stackContext } from './context.js';
import type { ControllerMode } from './controller-mode.js';
import { installTrafficCrds } from './crds.js';
import { type GitStatus, gitProcesses, gitStatus, startGit } from './git.js';
import {
  type KubernetesStatus,
  kubernetesProcesses,
  kubernetesStatus,
  startKubernetes,
} from './kubernetes.js';
import { isRunning, recordedPid, type StopHow, stopRecorded } from './processes.js';
import {
  type PrometheusStatus,
  prometheusProcesses,
  prometheusStatus,
  startPrometheus,
} from './prometheus.js';
import { type RegistryStatus, registryProcesses, registryStatus, startRegistry } from './registry.js';
import {
  assertTemporalMode,
  runningTemporalMode,
  startTemporalMode,
  type TemporalStatus,
  temporalCommand,
  temporalModeProcesses,
  temporalProcesses,
  temporalStatus,
} from './temporal-mode.js';
import {
  startTokenRegistry,
  type TokenRegistryStatus,
  tokenRegistryProcesses,
  tokenRegistryStatus,
} from './token-registry.js';
import { ensureTemporalServerTools, ensureTools } from './tools.js';
import type { Progress } from './wait.js';

/** The shape `sluice dev status -o json` prints. */
export interface StackStatus {
  temporal: TemporalStatus;
  kubernetes: KubernetesStatus;
  prometheus: PrometheusStatus;
  git: GitStatus;
  registry: RegistryStatus;
  chartRepo: ChartRepoStatus;
  tokenRegistry: TokenRegistryStatus;
}

const allProcesses = [
  ...temporalProcesses,
  ...kubernetesProcesses,
  ...prometheusProcesses,
  ...gitProcesses,
  ...registryProcesses,
  ...chartRepoProcesses,
  ...tokenRegistryProcesses,
];

/** PostgreSQL stops its own backends in order on SIGINT (fast shutdown); SIGTERM waits for clients to leave. */
const stopHow: Record<string, StopHow> = { postgres: { signal: 'SIGINT', leaderOnly: true } };

/** What `up` may change on a running stack. */
export interface StackUpOptions {
  /** Run kube-controller-manager in this mode, restarting it when it runs in the other (absent: leave it). */
  controller?: ControllerMode;
}

/** Starts every component that is not already running and waits until each answers. */
export async function stackUp(
  config: StackConfig,
  progress: Progress,
  opts: StackUpOptions = {},
): Promise<{ alreadyRunning: boolean }> {
  const ctx = stackContext(config, progress);
  assertTemporalMode(ctx);
  const before = await stackStatus(config);
  const modeChange = opts.controller !== undefined && before.kubernetes.controller !== opts.controller;
  if (Object.values(before).every((c) => c.healthy) && !modeChange) {
    progress(
      `the local stack is already running (temporal: ${before.temporal.mode}; data: ${config.dataDir})`,
    );
    // A data dir made before the traffic CRDs existed gets them now; applying them again changes nothing.
    ensureTools(ctx);
    await installTrafficCrds(ctx);
    return { alreadyRunning: true };
  }
  ensureTools(ctx);
  if (config.temporal === 'postgres') ensureTemporalServerTools(ctx);
  progress(`starting the local stack (temporal: ${config.temporal}; data: ${config.dataDir})`);
  // Temporal and Kubernetes are independent; start them side by side to halve the wait.
  await Promise.all([
    startTemporalMode(ctx),
    startKubernetes(ctx, opts.controller).then(() => installTrafficCrds(ctx)),
    startPrometheus(ctx),
    startGit(ctx),
    startRegistry(ctx),
    startChartRepo(ctx),
    startTokenRegistry(ctx),
  ]);
  return { alreadyRunning: false };
}

/** Stops the processes `up` recorded (nothing else), newest first; --purge also deletes the data dir. */
export async function stackDown(
  config: StackConfig,
  progress: Progress,
  opts: { purge?: boolean } = {},
): Promise<void> {
  const ctx = stackContext(config, progress);
  for (const name of [...allProcesses].reverse()) {
    const pid = recordedPid(ctx.paths, name);
    if (await stopRecorded(ctx.paths, name, 10_000, stopHow[name])) progress(`${name}: stopped (pid ${pid})`);
  }
  if (opts.purge) {
    rmSync(config.dataDir, { recursive: true, force: true });
    progress(`removed ${config.dataDir}`);
  }
}

/** Stops one component's process, for tests that show what happens without it; `up` restarts it. */
export async function stopComponentProcess(config: StackConfig, name: string): Promise<boolean> {
  if (!allProcesses.includes(name))
    throw new Error(`unknown stack process ${name}; known: ${allProcesses.join(', ')}`);
  return stopRecorded(stackContext(config, () => {}).paths, name, 10_000, stopHow[name]);
}

/** Reports each component's endpoint and whether it answers. */
export async function stackStatus(config: StackConfig): Promise<StackStatus> {
  const ctx = stackContext(config, () => {});
  const [temporal, kubernetes, prometheus, git, registry, chartRepo, tokenRegistry] = await Promise.all([
    temporalStatus(ctx),
    kubernetesStatus(ctx),
    prometheusStatus(ctx),
    gitStatus(ctx),
    registryStatus(ctx),
    chartRepoStatus(ctx),
    tokenRegistryStatus(ctx),
  ]);
  return { temporal, kubernetes, prometheus, git, registry, chartRepo, tokenRegistry };
}

/** Which recorded processes of the running (else the configured) Temporal mode and the rest are alive. */
export function processTable(config: StackConfig): { name: string; pid?: number; running: boolean }[] {
  const ctx: StackContext = stackContext(config, () => {});
  const mode = runningTemporalMode(ctx) ?? config.temporal;
  const names = allProcesses.filter(
    (n) => !temporalProcesses.includes(n) || temporalModeProcesses(mode).includes(n),
  );
  return names.map((name) => {
    const pid = recordedPid(ctx.paths, name);
    return { name, pid, running: isRunning(ctx.paths, name, processCommand(ctx, name)) };
  });
}

/** The program a recorded process runs, to tell it from an unrelated process that reused its pid. */
function processCommand(ctx: StackContext, name: string): string {
  if (temporalProcesses.includes(name)) return temporalCommand(ctx, name);
  switch (name) {
    case 'git-http':
    case 'chart-repo':
    case 'token-server':
      return process.execPath;
    case 'prometheus':
      return 'prometheus';
    case 'registry':
    case 'token-registry':
      return 'docker-registry';
    default:
      return ctx.tool(name);
  }
}
