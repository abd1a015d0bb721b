import type { NonRetryableErrorType } from '../../core/errors.js';
/** A rollout asked a traffic provider for something it cannot do, or named objects that are missing: retrying will not help. */
export class TrafficConfigError extends Error {
  override name = 'TrafficConfigError' as const satisfies NonRetryableErrorType;
}
