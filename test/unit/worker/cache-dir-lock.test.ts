import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheDirInUseError, lockCacheDir, lockFile, STALE_MS } from '../../../worker/cache-dir-lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'sluice-cache-lock-'));
const owner = (d: string, o: Record<string, unknown>) =>
  writeFileSync(lockFile(d), JSON.stringify({ token: 'theirs', hostname: hostname(), ...o }));

describe('lockCacheDir: one worker process per cacheDir', () => {
  const releases: (() => void)[] = [];
  let sleeper: ChildProcess | undefined;
  afterEach(async () => {
    for (const r of releases.splice(0)) r();
    if (sleeper && sleeper.exitCode === null && sleeper.signalCode === null) {
      const gone = once(sleeper, 'exit');
      sleeper.kill();
      await gone;
    }
    sleeper = undefined;
  });

  it('claims a free directory (creating it), names itself in the lock, and removes the lock on release', () => {
    const d = join(dir(), 'cache');
    const release = lockCacheDir(d, 'w-1');
    expect(JSON.parse(readFileSync(lockFile(d), 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
      identity: 'w-1',
    });
    release();
    expect(existsSync(lockFile(d))).toBe(false);
  });

  it('refuses a directory a live process on this host holds, naming it and what to do', async () => {
    const d = dir();
    sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    owner(d, { pid: sleeper.pid, identity: 'worker-a' });
    expect(() => lockCacheDir(d, 'worker-b')).toThrow(CacheDirInUseError);
    expect(() => lockCacheDir(d)).toThrow(
      /in use by worker worker-a \(pid \d+ on .*\): give each worker process its own cacheDir/,
    );
  });

  it('refuses a fresh lock from another host (a shared volume), whatever its pid', () => {
    const d = dir();
    owner(d, { pid: 1, hostname: 'some-other-pod' });
    expect(() => lockCacheDir(d)).toThrow(/1@some-other-pod/);
  });

  it('takes over the lock of a process that is gone: a dead pid on this host, or no refresh for 30 s', async () => {
    const d = dir();
    const child = spawn(process.execPath, ['-e', '0']);
    await once(child, 'exit');
    owner(d, { pid: child.pid });
    releases.push(lockCacheDir(d, 'after-a-crash'));
    expect(JSON.parse(readFileSync(lockFile(d), 'utf8')).identity).toBe('after-a-crash');
    releases.pop()?.();

    owner(d, { pid: 1, hostname: 'some-other-pod' });
    const old = new Date(Date.now() - STALE_MS - 1000);
    utimesSync(lockFile(d), old, old);
    releases.push(lockCacheDir(d));
    expect(JSON.parse(readFileSync(lockFile(d), 'utf8')).pid).toBe(process.pid);
  });

  it('takes over a lock with its own pid on its own host (an earlier run of the same container)', () => {
    const d = dir();
    owner(d, { pid: process.pid });
    releases.push(lockCacheDir(d));
    expect(JSON.parse(readFileSync(lockFile(d), 'utf8')).token).not.toBe('theirs');
  });

  it('leaves a lock another process took over in place on release', () => {
    const d = dir();
    const release = lockCacheDir(d);
    owner(d, { pid: 1, hostname: 'some-other-pod' });
    release();
    expect(JSON.parse(readFileSync(lockFile(d), 'utf8')).hostname).toBe('some-other-pod');
  });
});
