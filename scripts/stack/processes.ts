import { spawn } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import type { StackPaths } from './paths.js';

/** A background process of the local stack, identified by name, with its pid and log files. */
export interface ManagedProcess {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Reads the pid that `up` recorded for a component, or undefined when none is recorded. */
export function recordedPid(paths: StackPaths, name: string): number | undefined {
  const file = paths.pidFile(name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** True when the recorded pid is alive and still runs the command we started (pids get reused). */
export function isRunning(paths: StackPaths, name: string, command: string): boolean {
  const pid = recordedPid(paths, name);
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return argv0 === command || argv0.endsWith(`/${command.split('/').pop()}`);
  } catch {
    return true; // no /proc: trust the live pid
  }
}

/** Starts a process detached from this one, with output appended to its log file and its pid recorded. */
export function startDetached(paths: StackPaths, proc: ManagedProcess): number {
  if (proc.command.startsWith('/') && !existsSync(proc.command)) {
    throw new Error(
      `${proc.name}: ${proc.command} does not exist; run scripts/bootstrap-tools.sh to install the tools`,
    );
  }
  mkdirSync(paths.run, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  const log = openSync(paths.logFile(proc.name), 'a');
  const child = spawn(proc.command, proc.args, {
    cwd: proc.cwd,
    env: { ...process.env, ...proc.env },
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  // An exec failure arrives as an event; without a listener it would crash the CLI.
  child.on('error', (err) =>
    appendFileSync(paths.logFile(proc.name), `sluice: could not start ${proc.command}: ${err.message}\n`),
  );
  if (child.pid === undefined) throw new Error(`${proc.name}: could not start ${proc.command}`);
  child.unref();
  writeFileSync(paths.pidFile(proc.name), `${child.pid}\n`);
  return child.pid;
}

/** How to stop a process: by default SIGTERM to its whole process group. */
export interface StopHow {
  signal?: NodeJS.Signals;
  /** Signal only the recorded pid first, for servers that stop their own children in order (PostgreSQL). */
  leaderOnly?: boolean;
}

/** Stops a recorded process: SIGTERM, then SIGKILL after the grace period; removes its pid file. */
export async function stopRecorded(
  paths: StackPaths,
  name: string,
  graceMs = 10_000,
  how: StopHow = {},
): Promise<boolean> {
  const pid = recordedPid(paths, name);
  rmSync(paths.pidFile(name), { force: true });
  if (pid === undefined || !alive(pid)) return false;
  // Each component leads its own process group (detached), so children such as git http-backend go too.
  if (how.leaderOnly) {
    try {
      process.kill(pid, how.signal ?? 'SIGTERM');
    } catch {
      // already gone
    }
  } else signal(pid, how.signal ?? 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await delay(100);
  if (alive(pid)) signal(pid, 'SIGKILL');
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves after ms milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
