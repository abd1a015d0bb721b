import { describe, expect, it } from 'vitest';
import { applyLockEvent, type LockState } from '../../../workflows/pipeline/lock-state.js';

const acquire = (runId: string, policy: 'queue' | 'skip' | 'cancel-older' = 'queue') =>
  ({ kind: 'acquire', runId, policy }) as const;
const release = (runId: string) => ({ kind: 'release', runId }) as const;

describe('applyLockEvent', () => {
  it('queue: grants one run at a time, in request order', () => {
    const s: LockState = { queue: [] };
    expect(applyLockEvent(s, acquire('a')).granted).toEqual(['a']);
    expect(applyLockEvent(s, acquire('b')).granted).toEqual([]);
    expect(applyLockEvent(s, acquire('c')).granted).toEqual([]);
    expect(s).toEqual({ holder: 'a', queue: ['b', 'c'] });
    expect(applyLockEvent(s, release('a')).granted).toEqual(['b']);
    expect(applyLockEvent(s, release('b')).granted).toEqual(['c']);
    expect(applyLockEvent(s, release('c')).granted).toEqual([]);
    expect(s).toEqual({ holder: undefined, queue: [] });
  });

  it('a waiting run that gives up leaves the queue without being granted', () => {
    const s: LockState = { queue: [] };
    applyLockEvent(s, acquire('a'));
    applyLockEvent(s, acquire('b'));
    applyLockEvent(s, acquire('c'));
    expect(applyLockEvent(s, release('b')).granted).toEqual([]);
    expect(applyLockEvent(s, release('a')).granted).toEqual(['c']);
  });

  it('skip: denies a run while another holds or waits, grants it when the lock is free', () => {
    const s: LockState = { queue: [] };
    expect(applyLockEvent(s, acquire('a', 'skip')).granted).toEqual(['a']);
    expect(applyLockEvent(s, acquire('b', 'skip'))).toEqual({
      granted: [],
      denied: [{ runId: 'b', holder: 'a' }],
      cancel: [],
    });
    expect(s.queue).toEqual([]);
    applyLockEvent(s, release('a'));
    expect(applyLockEvent(s, acquire('c', 'skip')).granted).toEqual(['c']);
  });

  it('cancel-older: cancels the holder and every waiting run; the newest gets the lock once the holder let go', () => {
    const s: LockState = { queue: [] };
    applyLockEvent(s, acquire('a'));
    applyLockEvent(s, acquire('b'));
    const effects = applyLockEvent(s, acquire('c', 'cancel-older'));
    expect(effects).toEqual({ granted: [], denied: [], cancel: ['a', 'b'] });
    expect(s).toEqual({ holder: 'a', queue: ['c'] });
    // The cancelled waiting run's own release changes nothing; the holder's hands the lock on.
    expect(applyLockEvent(s, release('b')).granted).toEqual([]);
    expect(applyLockEvent(s, release('a')).granted).toEqual(['c']);
  });

  it('cancel-older on a free lock grants at once and cancels nothing', () => {
    const s: LockState = { queue: [] };
    expect(applyLockEvent(s, acquire('a', 'cancel-older'))).toEqual({
      granted: ['a'],
      denied: [],
      cancel: [],
    });
  });

  it('answers a repeated request (a retried activity) the same way, never queueing a run twice', () => {
    const s: LockState = { queue: [] };
    applyLockEvent(s, acquire('a'));
    expect(applyLockEvent(s, acquire('a')).granted).toEqual(['a']);
    applyLockEvent(s, acquire('b'));
    expect(applyLockEvent(s, acquire('b')).granted).toEqual([]);
    expect(s).toEqual({ holder: 'a', queue: ['b'] });
  });

  it('ignores a release from a run it does not know', () => {
    const s: LockState = { holder: 'a', queue: ['b'] };
    expect(applyLockEvent(s, release('z'))).toEqual({ granted: [], denied: [], cancel: [] });
    expect(s).toEqual({ holder: 'a', queue: ['b'] });
  });
});
