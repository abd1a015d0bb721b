// One worker process per cacheDir. Its Git cache serialises fetches with an in-process lock only, so two
// processes fetching into one bare repository could read each other's half-written packs — and the default
// cacheDir (~/.cache/sluice/worker) is the same for every worker a user starts on one machine.
import { randomUUID } from 'node:crypto';
import {
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Thrown when another live worker process holds the cache directory. */
export class CacheDirInUseError extends Error {
  override name = 'CacheDirInUseError';
}

/** Who holds a lock: the process (pid on a host), a token unique to this start, and its Temporal identity. */
interface LockOwner {
  pid: number;
  hostname: string;
  token: string;
  identity?: string;
}

/** A lock not refreshed for this long belongs to a process that is gone (it refreshes every REFRESH_MS). */
export const STALE_MS = 30_000;
const REFRESH_MS = 10_000;

/** The lock file's path in a cache directory. */
export const lockFile = (dir: string) => join(dir, 'worker.lock');

function readOwner(file: string): { owner?: LockOwner; ageMs: number } | undefined {
  try {
    const ageMs = Date.now() - statSync(file).mtimeMs;
    try {
      return { owner: JSON.parse(readFileSync(file, 'utf8')) as LockOwner, ageMs };
    } catch {
      return { ageMs }; // half-written or foreign: treated as no owner
    }
  } catch {
    return undefined;
  }
}

/** Whether a process with that pid runs on this host (EPERM: it runs, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why the current owner still holds the lock, or undefined when this process may take it. */
function heldBy(found: { owner?: LockOwner; ageMs: number }): string | undefined {
  const { owner, ageMs } = found;
  if (!owner || ageMs > STALE_MS) return undefined;
  if (owner.hostname === hostname()) {
    // Our own pid on our host: an earlier run of this container or process (a restart in the same pod).
    if (owner.pid === process.pid || !alive(owner.pid)) return undefined;
  }
  const who = owner.identity ?? `${owner.pid}@${owner.hostname}`;
  return `${who} (pid ${owner.pid} on ${owner.hostname}, lock refreshed ${Math.round(ageMs / 1000)}s ago)`;
}

/**
 * Claims `dir` for this process, or throws CacheDirInUseError naming the live holder. The lock file is touched every
 * 10 s, so a SIGKILLed holder's lock lapses after 30 s (at once when it ran on this host). Returns the release.
 */
export function lockCacheDir(dir: string, identity?: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = lockFile(dir);
  const found = readOwner(file);
  const holder = found && heldBy(found);
  const refuse = (who: string) =>
    new CacheDirInUseError(
      `cacheDir ${dir} is in use by worker ${who}: give each worker process its own cacheDir (in Kubernetes, each pod's emptyDir); nothing in it is shared between workers`,
    );
  if (holder) throw refuse(holder);
  const me: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    token: randomUUID(),
    ...(identity ? { identity } : {}),
  };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(me)}\n`);
  renameSync(tmp, file);
  // Two starting at the same moment both write; the file names one of them, and the other steps back.
  const after = readOwner(file);
  if (after?.owner?.token !== me.token) {
    const other = after?.owner;
    throw refuse(other ? (other.identity ?? `${other.pid}@${other.hostname}`) : 'another worker');
  }
  const ours = () => readOwner(file)?.owner?.token === me.token;
  const timer = setInterval(() => {
    if (!ours()) return;
    const now = new Date();
    try {
      utimesSync(file, now, now);
    } catch {
      // removed under us: the next start claims it afresh
    }
  }, REFRESH_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (ours()) unlinkSync(file);
  };
}
