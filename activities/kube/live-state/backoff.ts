/** Delay before restart `attempt` (1-based) of a watch: 0.5 s doubling to 30 s, with jitter so watches spread out. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, attempt - 1));
  // "Equal jitter": half fixed, half random, so a restart never comes sooner than half the step.
  return Math.round(base / 2 + (random() * base) / 2);
}

/** Resolves after ms, or at once when the signal aborts (never rejects: the caller checks the signal). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
