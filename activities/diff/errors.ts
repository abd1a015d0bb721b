// Errors the diff step throws on purpose; bad rules are permanent, so a retry cannot help.
import type { NonRetryableErrorType } from '../../core/errors.js';

/** An ignoreDifferences rule cannot be used (for example a malformed JSON pointer). */
export class IgnoreRuleError extends Error {
  override name = 'IgnoreRuleError' as const satisfies NonRetryableErrorType;
}
