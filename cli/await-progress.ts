// Waiting for a long request while showing its progress: a look every second, one last look once it has
// ended, and a deadline that never drops a request the server has not taken yet.
import { CliError } from './errors.js';
import { formatDuration } from './flags.js';

/** Waits for the promise, calling tick every second while it runs (and once after); a deadline ends the wait. */
export async function awaitWithProgress<T>(
  promise: Promise<T>,
  o: {
    timeoutMs?: number;
    /** Settles once the server has the request: a deadline never ends the wait before that (closing would drop it). */
    accepted: Promise<unknown>;
    tick?: (value?: T) => Promise<void>;
    what: string;
    hint: string;
  },
): Promise<T> {
  const deadline = o.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + o.timeoutMs;
  let settled = false;
  let value: T | undefined;
  // Both handlers: the update may outlive a timed-out wait, and its rejection then has nobody to tell.
  promise.then(
    (v) => {
      settled = true;
      value = v;
    },
    () => {
      settled = true;
    },
  );
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0 && (await Promise.race([o.accepted.then(() => !settled), promise.then(() => false)])))
      throw new CliError(`timed out after ${formatDuration(o.timeoutMs ?? 0)} waiting for ${o.what}`, o.hint);
    const pause = new Promise((r) => setTimeout(r, Math.min(1000, left)));
    await Promise.race([promise.catch(() => undefined), pause]);
    // A look that began before the promise settled may have missed its end (a sync done between the look's
    // status query and its describe shows neither running nor finished): only a look after it is the last.
    const final = settled;
    // Progress is a courtesy: a look that fails (a query timing out, say) never fails the sync's command.
    await o.tick?.(value).catch((err) => {
      if (process.env.SLUICE_DEBUG) process.stderr.write(`progress: ${(err as Error).stack}\n`);
    });
    if (final) return promise;
  }
}
