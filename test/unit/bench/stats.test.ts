import { describe, expect, it } from 'vitest';
import { abbaOrder } from '../../../bench/lib/abba.js';
import { quantile, spread } from '../../../bench/lib/stats.js';

describe('bench statistics', () => {
  it('takes the median and range of repetitions, odd and even counts', () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, n: 3 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(spread([]).median).toBeNaN();
  });

  it('interpolates quantiles between ranks (p95 of 1..100 is 95.05)', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(xs, 0.95)).toBeCloseTo(95.05);
    expect(quantile([7], 0.95)).toBe(7);
  });

  it('rotates the order ABBA: forward, reversed, forward', () => {
    expect(abbaOrder(['F', 'K', 'S'], 4)).toEqual([
      ['F', 'K', 'S'],
      ['S', 'K', 'F'],
      ['F', 'K', 'S'],
      ['S', 'K', 'F'],
    ]);
    // Each unit takes every position equally often over an even number of repetitions.
    const positions = abbaOrder(['A', 'B'], 2).map((r) => r.indexOf('A'));
    expect(positions).toEqual([0, 1]);
  });
});
