import { ApplicationFailure, patched } from '@temporalio/workflow';

/**
 * Ends a sync or rollout that did not succeed as a failed workflow (red in the Temporal UI), its final
 * status as the failure's first detail (core/run-endings.ts reads it back). Runs recorded before this
 * change replay as they ran: they complete with their status.
 */
export function endAsFailed(type: string, message: string, status: unknown): void {
  if (patched('failed-is-red'))
    throw ApplicationFailure.create({ type, message, nonRetryable: true, details: [status] });
}
