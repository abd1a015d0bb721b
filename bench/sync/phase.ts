import { scrapeRequestTotals, serverRequests } from '../lib/apiserver-metrics.js';
import { machineCpuSeconds, processCpuSeconds, stackCpuSeconds } from '../lib/cpu.js';
import { sampleRss } from '../lib/memory.js';
import type { BenchStack } from '../lib/stack.js';
import { diffCounts, requestCounts } from '../lib/verbs.js';
import type { WorkerChild } from '../lib/worker-child.js';
import type { PhaseResult } from './results.js';

/**
 * Runs one phase between two scrapes of the API server's counters, timing it, counting the worker's
 * own requests, connections and CPU, sampling its memory, and taking the CPU time of the stack's
 * processes and of the whole machine. `clientRequests` supplies the counts of
 * a tool that is not the worker (kubectl counts its own from its log).
 */
export async function measurePhase<T>(
  stack: BenchStack,
  worker: WorkerChild,
  run: () => Promise<T>,
  clientRequests?: (value: T) => Record<string, number>,
): Promise<PhaseResult & { value: T; startedAt: number }> {
  const serverBefore = await scrapeRequestTotals(stack.apiserver);
  const before = await worker.snapshot();
  const cpuBefore = processCpuSeconds(worker.pid);
  const stackBefore = stackCpuSeconds(stack.runDir);
  const machineBefore = machineCpuSeconds();
  const rss = sampleRss(worker.pid);
  const startedAt = Date.now();
  const t0 = performance.now();
  const value = await run();
  const wallMs = performance.now() - t0;
  const workerPeakRssMiB = rss.stop();
  const machineAfter = machineCpuSeconds();
  const stackCpuS = diffCounts(stackBefore, stackCpuSeconds(stack.runDir));
  const after = await worker.snapshot();
  const server = serverRequests(serverBefore, await scrapeRequestTotals(stack.apiserver));
  const apiserver = `${stack.apiserver.host}:${stack.apiserver.port}`;
  const workerSide = {
    workerPeakRssMiB,
    workerCpuS: processCpuSeconds(worker.pid) - cpuBefore,
    workerLoopMaxMs: after.loopMaxMs,
    workerConnections: (after.connections[apiserver] ?? 0) - (before.connections[apiserver] ?? 0),
  };
  return {
    value,
    startedAt,
    wallMs,
    client: requestCounts(
      clientRequests ? clientRequests(value) : diffCounts(before.apiRequests, after.apiRequests),
    ),
    server,
    stackCpuS,
    machineCpu: {
      busyS: machineAfter.busy - machineBefore.busy,
      totalS: machineAfter.total - machineBefore.total,
    },
    ...(clientRequests ? {} : workerSide),
  };
}

/** Server-side requests per second while nothing of the benchmark runs. */
export async function idleRate(stack: BenchStack, ms: number): Promise<{ reads: number; writes: number }> {
  const before = await scrapeRequestTotals(stack.apiserver);
  await new Promise((r) => setTimeout(r, ms));
  const d = serverRequests(before, await scrapeRequestTotals(stack.apiserver));
  return { reads: (d.reads * 1000) / ms, writes: (d.writes * 1000) / ms };
}
