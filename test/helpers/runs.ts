// A sync that fails and a rollout that rolls back end their workflow as failed (red in the Temporal UI),
// their final status in the failure's details: tests read it and check the ending in one place.
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, type TypedSearchAttributes } from '@temporalio/common';
import { expect } from 'vitest';
import { failedRunStatus } from '../../core/run-endings.js';
import { SluicePhase } from '../../workflows/shared/search-attributes.js';

/** What these checks need of a workflow handle (a client's, or one from getHandle). */
interface RunHandle<T> {
  workflowId: string;
  result(): Promise<T>;
  describe(): Promise<{ status: { name: string }; typedSearchAttributes: TypedSearchAttributes }>;
}

/**
 * The final status of a sync or rollout that must have ended red: its workflow FAILED with a failure of
 * `type`, the status as the failure's first detail, and SluicePhase "Failed" to say so in the UI's list.
 */
export async function failedRun<T>(handle: RunHandle<T>, type: string): Promise<T> {
  const err = await handle.result().then(
    (r) => {
      throw new Error(`${handle.workflowId} completed instead of failing: ${JSON.stringify(r)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(type);
  const d = await handle.describe();
  expect(d.status.name).toBe('FAILED');
  expect(d.typedSearchAttributes.get(SluicePhase)).toBe('Failed');
  const status = failedRunStatus<T>(err);
  expect(status, 'the final status in the failure details').toBeDefined();
  return status as T;
}
