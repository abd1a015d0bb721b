import type { WorkerKubeLimits } from '../../worker/config.js';
import type { WatchedActivity } from '../lib/activity-watch.js';
import type { ServerRequests } from '../lib/apiserver-metrics.js';
import type { SlowRequest } from '../lib/http-watch.js';
import type { RequestCounts } from '../lib/verbs.js';
import type { ActivityStats } from './activity-breakdown.js';

/** One measured phase: wall time and the API requests made during it. */
export interface PhaseResult {
  wallMs: number;
  /** The tool's own requests, counted in its process (exact). */
  client: RequestCounts;
  /** What the API server served meanwhile, from every client (controllers, kwok, other tests too). */
  server: ServerRequests;
  /** Peak VmRSS of the Sluice worker process during the phase, MiB. */
  workerPeakRssMiB?: number;
  /** CPU seconds (user + system) the worker process used during the phase. */
  workerCpuS?: number;
  /** Longest the worker's main thread was blocked (event-loop delay) during the phase. */
  workerLoopMaxMs?: number;
  /** New connections the worker opened to the API server during the phase. */
  workerConnections?: number;
  /** CPU seconds each local-stack process (temporal, kube-apiserver, etcd…) used during the phase. */
  stackCpuS: Record<string, number>;
  /** The machine's CPU during the phase, every process included: busy and available core-seconds. */
  machineCpu: { busyS: number; totalS: number };
}

/** Everything one run of bench/sync.ts measured. */
export interface SyncBenchResults {
  apps: number;
  objects: number;
  date: string;
  machine: { cpus: number; cpuModel: string; memGiB: number; node: string };
  /** The checkout measured: commit, and whether it had uncommitted changes. */
  checkout: string;
  /** The worker's Kubernetes client limits (the `sluice worker` defaults). */
  kubeLimits: WorkerKubeLimits;
  namespaces: { sluice: string; kubectl: string };
  /** Server-side requests per second during an idle window before the phases (background load). */
  idlePerSecond: { reads: number; writes: number };
  kubectl: PhaseResult & { applyMs: number; waitMs: number };
  firstSync: PhaseResult & {
    /** Apps whose first sync failed and was retried by the application. */
    retried: string[];
    /** When the last sync workflow finished (workflow clock), from the phase's start. */
    lastSyncFinishedMs: number;
    meanSyncMs: number;
  };
  noopResync: PhaseResult & { changedObjects: number; failedSyncs: number; meanSyncMs: number };
  worker: { idleRssMiB: number; hwmMiB: number };
  breakdown: { sampled: number; firstSync: ActivityStats[]; noopResync: ActivityStats[] };
  /** Seen inside the worker: activity executions of 60 s or more and HTTP requests of 10 s or more. */
  slow: { activities: WatchedActivity[]; requests: SlowRequest[] };
}

/** The targets of the "Sync engine" issue, item 9, evaluated on measured numbers only. */
export function targets(r: SyncBenchResults) {
  const firstSyncRatio = r.firstSync.wallMs / r.kubectl.wallMs;
  return {
    firstSyncRatio,
    firstSyncMet: firstSyncRatio <= 0.8,
    noopWrites: r.noopResync.client.writes,
    noopMet: r.noopResync.client.writes === 0 && r.noopResync.changedObjects === 0,
    noopReadsPerObject: r.noopResync.client.reads / r.objects,
    // Issue 14: the live-state cache answers a no-op resync, so it reads almost nothing from the API server.
    noopReadsMet: r.noopResync.client.reads / r.objects <= 0.05,
  };
}
