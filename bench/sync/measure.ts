import { type ClientRequests, countAudit } from '../lib/audit-count.js';
import { markAuditLog, readAuditSince } from '../lib/audit-log.js';
import { machineCpuSeconds, processCpuSeconds, stackCpuSeconds } from '../lib/cpu.js';
import { sampleRss } from '../lib/memory.js';
import type { BenchStack } from '../lib/stack.js';

/** The users the bench's clients run as (scripts/stack/kube-clients.ts). */
export const OWN_USERS: ReadonlySet<string> = new Set(['bench-floor', 'bench-kubectl', 'bench-sluice']);

/** What every phase measures around its run: requests per client (audit log) and CPU per process. */
export interface Measured<T> {
  value: T;
  /** Epoch ms when the run started and ended (the window the audit log is counted in). */
  from: number;
  to: number;
  requests: Record<string, ClientRequests>;
  /** False when the audit log rotated more often than it keeps files during the phase: counts are low. */
  auditComplete: boolean;
  /** CPU seconds during the phase: each stack process, the Sluice worker, and the driver's children (kubectl, git). */
  cpuS: Record<string, number>;
  /** The Sluice workers' peak resident memory during the phase, summed over the workers (MiB). */
  workerRssMiB: number;
  /** Share of the machine's CPU that was busy during the phase (every process, other users' too). */
  machineBusy: number;
}

/** Runs one phase, taking CPU counters before and after and counting its window of the audit log. */
export async function measure<T>(
  stack: BenchStack,
  workerPids: number[],
  run: () => Promise<T>,
): Promise<Measured<T>> {
  const mark = markAuditLog(stack.paths.auditLog);
  const children = () => processCpuSeconds(process.pid, true) - processCpuSeconds(process.pid);
  const before = {
    stack: stackCpuSeconds(stack.runDir),
    worker: workersCpu(workerPids),
    children: children(),
  };
  const machineBefore = machineCpuSeconds();
  const rss = workerPids.map((pid) => sampleRss(pid));
  const from = Date.now();
  const value = await run();
  const to = Date.now();
  const workerRssMiB = rss.reduce((a, r) => a + r.stop(), 0);
  const machine = machineCpuSeconds();
  const after = stackCpuSeconds(stack.runDir);
  const cpuS: Record<string, number> = {};
  for (const [name, v] of Object.entries(after)) cpuS[name] = v - (before.stack[name] ?? v);
  cpuS['sluice-worker'] = workersCpu(workerPids) - before.worker;
  cpuS['driver children'] = children() - before.children;
  const { lines, complete } = readAuditSince(mark);
  return {
    value,
    from,
    to,
    requests: countAudit(lines, { from, to }, OWN_USERS),
    auditComplete: complete,
    cpuS,
    workerRssMiB,
    machineBusy: (machine.busy - machineBefore.busy) / (machine.total - machineBefore.total),
  };
}

const workersCpu = (pids: number[]) => pids.reduce((a, pid) => a + processCpuSeconds(pid), 0);
