import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../../activities/kube/rate-limiter.js';

describe('RateLimiter', () => {
  it('lets a burst through at once, then paces requests at qps', async () => {
    const limiter = new RateLimiter(20, 3);
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, () => limiter.take().then(() => times.push(Date.now() - started))),
    );
    times.sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(40); // the burst of 3
    // 4 more at 20/s need at least ~200 ms (a lower bound: a slow machine only adds time).
    expect(times[6]).toBeGreaterThanOrEqual(190);
  });

  it('rejects nonsense limits', () => {
    expect(() => new RateLimiter(0, 1)).toThrow('qps > 0');
    expect(() => new RateLimiter(5, 0)).toThrow('burst >= 1');
  });
});
