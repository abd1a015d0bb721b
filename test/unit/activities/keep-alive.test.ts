import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { beat, whileBeating } from '../../../activities/keep-alive.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('keep-alive heartbeats', () => {
  it('whileBeating heartbeats at once and on its interval while the work runs, then stops', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const answer = await env.run(() =>
      whileBeating({ applying: 3 }, () => pause(130).then(() => 'done'), 25),
    );
    expect(answer).toBe('done');
    // One at the start, then one every 25 ms for 130 ms (timers may slip a little under load).
    expect(beats.length).toBeGreaterThanOrEqual(4);
    expect(beats.every((d) => JSON.stringify(d) === '{"applying":3}')).toBe(true);
    const after = beats.length;
    await pause(80);
    expect(beats.length).toBe(after);
  });

  it('whileBeating stops beating when the work fails, and passes the failure on', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    await expect(
      env.run(() => whileBeating('x', () => pause(30).then(() => Promise.reject(new Error('boom'))), 10)),
    ).rejects.toThrow('boom');
    const after = beats.length;
    await pause(50);
    expect(beats.length).toBe(after);
  });

  it('beat and whileBeating work outside an activity (unit tests, the CLI): no heartbeat, no error', async () => {
    expect(() => beat('nobody listens')).not.toThrow();
    await expect(whileBeating('x', async () => 42, 5)).resolves.toBe(42);
  });
});
