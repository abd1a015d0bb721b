import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds } from '../lib/cpu.js';
import type { FloorConfig, FloorMessage } from './floor-process.js';

/** What the floor phase measured: apply and total time inside the client, and the client's CPU seconds. */
export interface FloorResult {
  applyMs: number;
  totalMs: number;
  cpuS: number;
}

/**
 * Starts the floor client in its own process, waits until it has loaded (Node and tsx start-up are not
 * the floor's cost), then tells it to go and waits for its report.
 */
export async function runFloor(config: FloorConfig): Promise<FloorResult> {
  const entry = fileURLToPath(new URL('./floor-process.ts', import.meta.url));
  const child = fork(entry, [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  try {
    const next = () =>
      new Promise<FloorMessage>((resolve, reject) => {
        child.once('message', (m: FloorMessage) => resolve(m));
        child.once('exit', (code) => reject(new Error(`the floor client exited (${code})`)));
      });
    if ((await next()).type !== 'ready') throw new Error('the floor client did not start');
    const cpuAtReady = processCpuSeconds(child.pid as number);
    const reply = next();
    child.send({ type: 'go' } satisfies FloorMessage);
    const m = await reply;
    if (m.type === 'failed') throw new Error(`the floor client failed: ${m.error}`);
    if (m.type !== 'done') throw new Error(`unexpected message from the floor client: ${m.type}`);
    return {
      applyMs: m.applyMs,
      totalMs: m.totalMs,
      cpuS: processCpuSeconds(child.pid as number) - cpuAtReady,
    };
  } finally {
    child.kill();
  }
}
