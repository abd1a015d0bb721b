// Heartbeats for activities whose work (a git fetch, a render subprocess, an apply of many objects)
// has no natural loop to heartbeat from: a lost worker is then noticed by the heartbeat timeout in
// seconds, not by start-to-close minutes later. The SDK throttles heartbeats, so beating often is cheap.
import { Context } from '@temporalio/activity';

/** How often `whileBeating` heartbeats: well inside the 30-second heartbeat timeouts of the presets. */
export const BEAT_EVERY_MS = 5_000;

/** Heartbeats `details` when running as an activity; a no-op when called directly (unit tests, CLI). */
export function beat(details?: unknown): void {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return; // not inside an activity: nobody to tell
  }
  ctx.heartbeat(details);
}

/** Runs `work`, heartbeating `details` now and every `everyMs` until it settles. */
export async function whileBeating<T>(
  details: unknown,
  work: () => Promise<T>,
  everyMs: number = BEAT_EVERY_MS,
): Promise<T> {
  beat(details);
  const timer = setInterval(() => beat(details), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
