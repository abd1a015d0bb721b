// Concurrency of pipeline runs: find older running runs of a Pipeline, cancel them, or wait for them.
import { Context, heartbeat, sleep } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';

const prefix = (pipeline: string) => `pipeline/${pipeline}/`;

/** Workflow IDs of the Pipeline's other running runs that started before this one (by visibility). */
export async function olderPipelineRuns(input: { pipeline: string; workflowId: string }): Promise<string[]> {
  const client = Context.current().client;
  const me = await client.workflow.getHandle(input.workflowId).describe();
  const older: string[] = [];
  const query = `WorkflowId STARTS_WITH "${prefix(input.pipeline)}" AND ExecutionStatus = "Running"`;
  for await (const w of client.workflow.list({ query })) {
    if (w.workflowId === input.workflowId) continue;
    if (w.startTime.getTime() <= me.startTime.getTime()) older.push(w.workflowId);
  }
  return older.sort();
}

/** Cancels runs (Temporal cancellation: their running step is cancelled, they end Cancelled). */
export async function cancelPipelineRuns(input: { workflowIds: string[]; reason: string }): Promise<void> {
  const client = Context.current().client;
  for (const id of input.workflowIds) {
    try {
      await client.workflow.getHandle(id).cancel();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
}

/** Waits, heartbeating, until none of the runs is running any more. */
export async function waitPipelineRuns(input: { workflowIds: string[] }): Promise<void> {
  const client = Context.current().client;
  for (;;) {
    const open: string[] = [];
    for (const id of input.workflowIds) {
      const d = await client.workflow
        .getHandle(id)
        .describe()
        .catch(() => undefined);
      if (d?.status.name === 'RUNNING') open.push(id);
    }
    heartbeat({ waitingFor: open });
    if (open.length === 0) return;
    await sleep(5000);
  }
}
