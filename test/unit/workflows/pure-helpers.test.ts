import { describe, expect, it } from 'vitest';
import { durationMs, jitterFactor } from '../../../workflows/shared/duration.js';
import { stableHash } from '../../../workflows/shared/stable-hash.js';

describe('durationMs', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['1m', 60_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
  ])('%s is %d ms', (text, ms) => expect(durationMs(text)).toBe(ms));

  it.each(['', '10', '1 m', '5x', 'm1'])('rejects %j', (text) => {
    expect(() => durationMs(text)).toThrow('is not a duration');
  });
});

describe('jitterFactor', () => {
  it('is stable for a seed and stays within ±10%', () => {
    const factors = Array.from({ length: 200 }, (_, i) => jitterFactor(`repo/x/${i}`));
    expect(jitterFactor('repo/x/7')).toBe(factors[7]);
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.9);
    expect(Math.max(...factors)).toBeLessThan(1.1);
    expect(new Set(factors).size).toBeGreaterThan(150);
  });
});

describe('stableHash', () => {
  it('ignores key order and undefined fields, and changes with any value', () => {
    expect(stableHash({ a: 1, b: { c: [1, 2] } })).toBe(stableHash({ b: { c: [1, 2] }, a: 1, d: undefined }));
    expect(stableHash({ a: 1, b: { c: [1, 2] } })).not.toBe(stableHash({ a: 1, b: { c: [2, 1] } }));
  });
});
