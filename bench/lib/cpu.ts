import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const USER_HZ = 100; // clock ticks per second in /proc on Linux

/**
 * CPU time (user + system) a process has used, in seconds, from /proc/<pid>/stat; with `children`, also
 * that of its children it has waited for (the Git server's `git http-backend` runs, one per request).
 */
export function processCpuSeconds(pid: number, children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')': utime is the 14th field.
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const ticks = (f[11] ?? 0) + (f[12] ?? 0) + (children ? (f[13] ?? 0) + (f[14] ?? 0) : 0);
  return ticks / USER_HZ;
}

/** CPU seconds used so far by each local-stack process recorded in `<data>/run/<name>.pid`. */
export function stackCpuSeconds(runDir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const file of readdirSync(runDir).filter((f) => f.endsWith('.pid'))) {
    try {
      const pid = Number(readFileSync(join(runDir, file), 'utf8').trim());
      // PostgreSQL's backends live as long as their connections: count live descendants too, not only reaped ones.
      out[file.replace(/\.pid$/, '')] =
        processCpuSeconds(pid, true) + descendants(pid).reduce((a, c) => a + safeCpu(c), 0);
    } catch {
      // Not running: leave it out.
    }
  }
  return out;
}

/** The whole machine's CPU so far (every process, other users' too), in core-seconds: busy and total. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const t = line.trim().split(/\s+/).slice(1).map(Number);
  const total = t.reduce((a, b) => a + b, 0);
  const idle = (t[3] ?? 0) + (t[4] ?? 0); // idle + iowait
  return { busy: (total - idle) / USER_HZ, total: total / USER_HZ };
}

/** The live descendants of a process (from each /proc/<pid>/stat's parent pid). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, p] of parent)
      if (p === pid) {
        out.push(child);
        walk(child);
      }
  };
  walk(root);
  return out;
}

// A descendant may exit between the listing and the read.
function safeCpu(pid: number): number {
  try {
    return processCpuSeconds(pid, true);
  } catch {
    return 0;
  }
}
