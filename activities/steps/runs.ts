// Activities of a Pipeline's run lock: ask for it (signal-with-start, which a workflow cannot do
// itself), and tell which runs still run (for a holder that was terminated without releasing).
import { Context } from '@temporalio/activity';
import { lockAcquireSignal } from '../../workflows/pipeline/lock-messages.js';
import type { ConcurrencyPolicy } from '../../workflows/pipeline/lock-state.js';
import { SluiceApp, SluiceKind } from '../../workflows/shared/search-attributes.js';

/** Sends a run's request to its Pipeline's lock, starting the lock when it is not running. */
export async function requestPipelineLock(input: {
  /** The lock's workflow ID (core/workflow-ids.ts pipelineLockId). */
  lockId: string;
  pipeline: string;
  runId: string;
  policy: ConcurrencyPolicy;
  ticket: number;
}): Promise<void> {
  const { client, info } = Context.current();
  await client.workflow.signalWithStart('pipelineLockWorkflow', {
    workflowId: input.lockId,
    taskQueue: info.taskQueue,
    args: [],
    signal: lockAcquireSignal,
    signalArgs: [{ runId: input.runId, policy: input.policy, ticket: input.ticket }],
    typedSearchAttributes: [
      { key: SluiceKind, value: 'pipeline-lock' },
      { key: SluiceApp, value: input.pipeline },
    ],
  });
}

/** The given workflow IDs whose workflows are still running. */
export async function runningPipelineRuns(input: { workflowIds: string[] }): Promise<string[]> {
  const client = Context.current().client;
  const running: string[] = [];
  for (const id of input.workflowIds) {
    const d = await client.workflow
      .getHandle(id)
      .describe()
      .catch(() => undefined);
    if (d?.status.name === 'RUNNING') running.push(id);
  }
  return running;
}
