import { describe, expect, it } from 'vitest';
import { awaitWithProgress } from '../../../cli/await-progress.js';

describe('awaitWithProgress', () => {
  it('looks once more after a request that ended during a look (the look may have missed its end)', async () => {
    let finish: (v: string) => void = () => undefined;
    const request = new Promise<string>((r) => {
      finish = r;
    });
    const seen: (string | undefined)[] = [];
    const result = await awaitWithProgress(request, {
      accepted: Promise.resolve(),
      what: 'the request',
      hint: '',
      tick: async (value) => {
        seen.push(value);
        // The request ends while the first look is under way, as a quick sync does between a status
        // query and a describe.
        if (seen.length === 1) {
          finish('done');
          await new Promise((r) => setTimeout(r, 10));
        }
      },
    });
    expect(result).toBe('done');
    expect(seen).toEqual([undefined, 'done']);
  });

  it('looks once after a request that ended before the first look, and gives its value', async () => {
    const seen: (string | undefined)[] = [];
    await awaitWithProgress(Promise.resolve('quick'), {
      accepted: Promise.resolve(),
      what: 'the request',
      hint: '',
      tick: async (value) => {
        seen.push(value);
      },
    });
    expect(seen).toEqual(['quick']);
  });

  it('gives up at the deadline once the server has taken the request, naming what it waited for', async () => {
    const never = new Promise<string>(() => undefined);
    await expect(
      awaitWithProgress(never, {
        accepted: Promise.resolve(),
        timeoutMs: 20,
        what: 'the sync of web',
        hint: 'h',
      }),
    ).rejects.toThrow(/timed out after .* waiting for the sync of web/);
  });
});
