import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A Sluice worker running in a child process. */
export interface WorkerChild {
  pid: number;
  /** SIGTERM (running activities finish), then waits for the process to exit. */
  stop: () => Promise<void>;
}

/**
 * Starts `sluice worker --config <configFile>` from source (TypeScript through tsx) with `env` added,
 * logging to `logFile`, and resolves once it logs "worker started" (its workers poll, its watchers run).
 */
export async function startWorkerChild(
  configFile: string,
  env: Record<string, string>,
  logFile: string,
): Promise<WorkerChild> {
  const entry = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
  // e.g. SLUICE_BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the worker.
  const nodeArgs = (process.env.SLUICE_BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry, configFile], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  child.stderr.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the worker did not start in 180 s; see ${logFile}`)),
      180_000,
    );
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      log.write(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      if (lines.some((l) => l.includes('"msg":"worker started"'))) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${code}) before it started; see ${logFile}`));
    });
  });
  return {
    pid: child.pid as number,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}
