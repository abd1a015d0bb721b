// A sync that fails and a rollout that rolls back end their workflow as failed (red in the Temporal UI),
// with their final status as the failure's first detail. Parents, the CLI and tests read that status
// here, from either ending: a completed run (from before the change) or a failed one.
import { ApplicationFailure } from '@temporalio/common';

/** The failure types a sync or rollout ends with when it did not succeed; their first detail is its status. */
export const RunFailure = {
  syncFailed: 'SyncFailed',
  rolledBack: 'RolloutRolledBack',
  aborted: 'RolloutAborted',
  rolloutFailed: 'RolloutFailed',
} as const;

const statusTypes: ReadonlySet<string> = new Set(Object.values(RunFailure));

/** The final status a failed sync or rollout carried in its failure, if `err` is (or wraps) such a failure. */
export function failedRunStatus<T>(err: unknown): T | undefined {
  // The status failure is the cause of a ChildWorkflowFailure (in a parent) or a WorkflowFailedError (in a client).
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof ApplicationFailure && e.type && statusTypes.has(e.type) && e.details?.length)
      return e.details[0] as T;
  }
  return undefined;
}

/** The final status of a sync or rollout from either ending; any other failure is rethrown. */
export async function runStatus<T>(result: Promise<T>): Promise<T> {
  try {
    return await result;
  } catch (err) {
    const status = failedRunStatus<T>(err);
    if (status === undefined) throw err;
    return status;
  }
}
