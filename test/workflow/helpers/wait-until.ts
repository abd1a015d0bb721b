import type { WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { waitFor } from '../../helpers/wait-for.js';

/** Queries a workflow every 50 ms until `ok` holds for the answer; answers it, or throws with the last one. */
export async function queryUntil<T>(
  handle: WorkflowHandle,
  query: QueryDefinition<T>,
  ok: (answer: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  let last: T | undefined;
  try {
    return await waitFor(
      `its ${query.name} query to answer as expected`,
      async () => {
        last = await handle.query(query);
        return ok(last) ? last : undefined;
      },
      timeoutMs,
      50,
    );
  } catch (err) {
    throw new Error(`${handle.workflowId}: ${(err as Error).message}; last answer ${JSON.stringify(last)}`);
  }
}
