import type { WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';

/** Queries a workflow every 50 ms until `ok` holds for the answer; answers it, or throws with the last one. */
export async function queryUntil<T>(
  handle: WorkflowHandle,
  query: QueryDefinition<T>,
  ok: (answer: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await handle.query(query).catch(() => undefined);
    if (last !== undefined && ok(last)) return last;
    if (Date.now() > deadline)
      throw new Error(
        `${handle.workflowId}: condition not met in ${timeoutMs} ms; last answer ${JSON.stringify(last)}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}
