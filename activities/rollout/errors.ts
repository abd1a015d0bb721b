import type { NonRetryableErrorType } from '../../core/errors.js';
/** The rollout cannot work with the objects as they are (missing target, unusable selector); retrying won't help. */
export class RolloutConfigError extends Error {
  override name = 'RolloutConfigError' satisfies NonRetryableErrorType;
}
