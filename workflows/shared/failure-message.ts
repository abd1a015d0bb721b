import { ActivityFailure, ChildWorkflowFailure } from '@temporalio/workflow';

/**
 * A failure as one line: the messages of its cause chain, joined with ": ", leaving out Temporal's
 * wrappers ("Activity task failed", "Child Workflow execution failed") that say nothing of the cause.
 */
export function failureMessage(err: unknown): string {
  const parts: string[] = [];
  let e = err;
  while (e instanceof Error) {
    if (!(e instanceof ActivityFailure) && !(e instanceof ChildWorkflowFailure)) parts.push(e.message);
    e = e.cause;
  }
  return parts.join(': ') || String(err);
}
