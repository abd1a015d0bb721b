// Pure helpers for the duration strings pipeline files use ("30s", "1m", "1h30m"); safe in workflows.
// The parser lives in core/ (the loader reads durations too); it is re-exported here for the workflows.

export { durationMs } from '../../core/duration.js';

/** A stable pseudo-random factor in [1 - spread, 1 + spread) from a seed string: jitter without randomness. */
export function jitterFactor(seed: string, spread = 0.1): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  return 1 - spread + ((h % 10_000) / 10_000) * 2 * spread;
}
