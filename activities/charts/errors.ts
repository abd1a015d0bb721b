// Errors of chart sources. Each message names what to do; the permanent ones fail the sync at once.
import type { NonRetryableErrorType } from '../../core/errors.js';

/** The chart repository or registry answered that the chart, or a version matching the constraint, is not there. */
export class ChartNotFoundError extends Error {
  override name = 'ChartNotFoundError' as const satisfies NonRetryableErrorType;
}

/** The chart repository or registry refused the credentials (401/403). */
export class ChartAuthError extends Error {
  override name = 'ChartAuthError' as const satisfies NonRetryableErrorType;
}
