import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkerKubeLimits } from '../../worker/config.js';
import type { WatchedActivity } from './activity-watch.js';
import type { SlowRequest } from './http-watch.js';

/** What the worker process needs (passed as its one argument, JSON). */
export interface WorkerProcessConfig {
  temporalAddress: string;
  taskQueue: string;
  kubeconfig: string;
  cacheDir: string;
  /** host:port of the API server, whose requests the process counts. */
  apiserver: string;
  /** Client-side Kubernetes limits, as `sluice worker` takes them from its config (kube: qps, burst, writeQps, writeBurst, maxInFlight, concurrency). */
  kubeLimits: WorkerKubeLimits;
}

/** What the worker process reports about itself. */
export interface WorkerSnapshot {
  /** Requests to the API server so far, by request key ("GET apps/deployments"). */
  apiRequests: Record<string, number>;
  /** New connections so far, by host:port. */
  connections: Record<string, number>;
  /** Event-loop delay since the previous snapshot: how long the worker's main thread was blocked. */
  loopMaxMs: number;
  loopP99Ms: number;
  /** Activity executions that ran 60 s or more, or still run. */
  slowActivities: WatchedActivity[];
  /** HTTP requests that took 10 s or more, or still run. */
  slowRequests: SlowRequest[];
}

/** Messages between the driver and the worker process (IPC). */
export type WorkerProcessMessage =
  | { type: 'ready' }
  | { type: 'stop' }
  | { type: 'snapshot'; id: number; snapshot?: WorkerSnapshot };

/** A Sluice worker running in a child process. */
export interface WorkerChild {
  pid: number;
  /** Asks the process for its counters (and starts a new event-loop window). */
  snapshot: () => Promise<WorkerSnapshot>;
  /** Shuts the worker down (running activities finish) and waits for the process to exit. */
  stop: () => Promise<void>;
}

/** Starts the worker process (TypeScript through tsx) and resolves once its worker polls the task queue. */
export async function startWorkerChild(config: WorkerProcessConfig, logFile: string): Promise<WorkerChild> {
  const entry = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
  const child: ChildProcess = fork(entry, [JSON.stringify(config)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the worker did not start in 180 s; see ${logFile}`)),
      180_000,
    );
    child.on('message', (m: WorkerProcessMessage) => {
      if (m.type !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${code}) before it started; see ${logFile}`));
    });
  });
  let nextId = 0;
  return {
    pid: child.pid as number,
    snapshot: () =>
      new Promise((resolve) => {
        const id = nextId++;
        const onMessage = (m: WorkerProcessMessage) => {
          if (m.type !== 'snapshot' || m.id !== id || !m.snapshot) return;
          child.off('message', onMessage);
          resolve(m.snapshot);
        };
        child.on('message', onMessage);
        child.send({ type: 'snapshot', id } satisfies WorkerProcessMessage);
      }),
    async stop() {
      if (child.exitCode === null && child.connected)
        child.send({ type: 'stop' } satisfies WorkerProcessMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}
