/**
 * The order of the measured units in each repetition, rotated ABBA-style: forward in even repetitions,
 * reversed in odd ones (A B C, C B A, A B C …), so a drift of the machine over the run (a warming cache, a
 * growing etcd, another user's load) falls on every unit alike instead of always on the one measured last.
 */
export function abbaOrder<T>(units: readonly T[], reps: number): T[][] {
  return Array.from({ length: reps }, (_, r) => (r % 2 === 0 ? [...units] : [...units].reverse()));
}
