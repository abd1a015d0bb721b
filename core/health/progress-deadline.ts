import type { HealthStatus } from './types.js';
import { conditions, field, list, timeOf } from './unstructured.js';

/** Seconds an object may stay Progressing without a visible change, unless the caller says otherwise. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/**
 * The latest change an object exposes, in ms since epoch: creation, deletion, any managedFields entry
 * (every apply or controller status write stamps one) and any condition's transition or update time.
 * Taking the latest makes the deadline measure time *without progress*, as a Deployment's own
 * progressDeadlineSeconds does, rather than total time since creation.
 */
export function lastChange(obj: unknown): number | undefined {
  const times = [
    timeOf(field(obj, 'metadata', 'creationTimestamp')),
    timeOf(field(obj, 'metadata', 'deletionTimestamp')),
    ...list(obj, 'metadata', 'managedFields').map((m) => timeOf(field(m, 'time'))),
    ...conditions(obj).flatMap((c) => [timeOf(c.lastTransitionTime), timeOf(c.lastUpdateTime)]),
  ].filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** Turns Progressing into Degraded once the object has shown no change for longer than the deadline. */
export function applyProgressDeadline(
  health: HealthStatus,
  obj: unknown,
  now: number,
  deadlineSeconds = DEFAULT_PROGRESS_DEADLINE_SECONDS,
): HealthStatus {
  if (health.status !== 'Progressing') return health;
  const since = lastChange(obj);
  if (since === undefined) return health; // nothing to measure from: leave it to the caller's timeout
  const idleSeconds = Math.floor((now - since) / 1000);
  if (idleSeconds <= deadlineSeconds) return health;
  const why = health.message ? `${health.message}; ` : '';
  return {
    status: 'Degraded',
    message: `${why}progress deadline exceeded: no change for ${idleSeconds}s (deadline ${deadlineSeconds}s)`,
  };
}
