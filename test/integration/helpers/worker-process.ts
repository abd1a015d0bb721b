import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from '../../helpers/wait-for.js';

/** A `sluice worker` process (from dist/: `npm run build` first) and its output. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with its "worker started" log line; rejects if it exits first or takes longer than 90 s. */
  started: Promise<Record<string, unknown>>;
  /** SIGKILLs it and waits until it is gone. */
  kill(): Promise<void>;
}

/** Starts `node bin/sluice.js worker --config <file>` as a crash test needs it: a real process it can SIGKILL. */
export function spawnWorker(configFile: string): WorkerProcess {
  const child = spawn(process.execPath, ['bin/sluice.js', 'worker', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const collect = (c: Buffer) => {
    text += c.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const started = waitFor(
    `the worker ${configFile} to start`,
    async () => {
      if (gone()) throw new Error(`worker exited (${child.exitCode ?? child.signalCode}):\n${text}`);
      return logLines(text).find((l) => l.msg === 'worker started');
    },
    90_000,
  );
  return {
    child,
    output: () => text,
    started,
    async kill() {
      if (gone()) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The JSON log lines of a worker's output, skipping anything else. */
export function logLines(text: string): ({ msg?: string } & Record<string, unknown>)[] {
  return text.split('\n').flatMap((l) => {
    if (!l.startsWith('{')) return [];
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
}
