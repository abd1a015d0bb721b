import type { Client } from '@temporalio/client';

/**
 * Terminates what a test started: every running workflow of the named applications (their rollouts and
 * Pipeline runs outlive the application or trigger that started them), then each of `ids`. Workflows that
 * already ended are passed over; without a client (the worker never started) there is nothing to end.
 */
export async function endTestWorkflows(
  client: Client | undefined,
  started: { apps?: string[]; ids?: string[] },
): Promise<void> {
  if (!client) return;
  const end = (id: string) =>
    client.workflow
      .getHandle(id)
      .terminate('test done')
      .catch(() => undefined);
  for (const app of started.apps ?? [])
    for await (const w of client.workflow.list({
      query: `SluiceApp = "${app}" AND ExecutionStatus = "Running"`,
    }))
      await end(w.workflowId);
  for (const id of started.ids ?? []) await end(id);
}
