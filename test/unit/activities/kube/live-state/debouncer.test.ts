import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from '../../../../../activities/kube/live-state/debouncer.js';

describe('Debouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands over a burst once, 500 ms after its last item, per key', () => {
    const fired: [string, string[]][] = [];
    const d = new Debouncer<string>(
      (k, items) => fired.push([k, items]),
      500,
      2_000,
      () => Date.now(),
    );
    d.add('a', '1');
    vi.advanceTimersByTime(300);
    d.add('a', '2');
    d.add('b', 'x');
    vi.advanceTimersByTime(499);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([
      ['a', ['1', '2']],
      ['b', ['x']],
    ]);
  });

  it('does not wait longer than maxWait for a key that keeps changing', () => {
    const fired: number[] = [];
    const started = Date.now();
    const d = new Debouncer<number>(
      () => fired.push(Date.now() - started),
      500,
      2_000,
      () => Date.now(),
    );
    for (let i = 0; i < 30; i++) {
      d.add('a', i);
      vi.advanceTimersByTime(200);
    }
    expect(fired[0]).toBe(2_000);
    expect(fired.length).toBeGreaterThanOrEqual(2);
    d.cancel();
  });

  it('cancel drops pending bursts and their timers', () => {
    const fired: string[] = [];
    const d = new Debouncer<string>((k) => fired.push(k));
    d.add('a', '1');
    d.cancel();
    vi.advanceTimersByTime(5_000);
    expect(fired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
