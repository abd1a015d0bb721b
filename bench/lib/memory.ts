import { readFileSync } from 'node:fs';

/** Resident memory of a process from /proc/<pid>/status, in MiB: now (VmRSS) and its high-water mark (VmHWM). */
export function processMemory(pid: number): { rssMiB: number; hwmMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

/**
 * Samples a process's VmRSS every `everyMs` until stopped, returning the peak. VmHWM alone would also
 * count start-up (the worker bundles its workflows with webpack then), so each phase keeps its own peak.
 */
export function sampleRss(pid: number, everyMs = 200): { stop: () => number } {
  let peak = processMemory(pid).rssMiB;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, processMemory(pid).rssMiB);
    } catch {
      // The process is gone: keep the peak seen so far.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
