// Starting and stopping the long-lived children of the repository watcher (applications, Pipeline
// triggers, ImagePolicy workflows). Workflow code: each helper issues exactly the commands it names.
import { type SearchAttributePair, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  type SignalDefinition,
  startChild,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { failureMessage } from './failure-message.js';

/**
 * Starts a child that outlives the watcher; when one already runs under that ID (started by an earlier
 * watcher), signals it instead. True when it started.
 */
export async function startOrSignal<I, A extends unknown[]>(
  workflow: (input: I) => Promise<unknown>,
  start: { workflowId: string; input: I; typedSearchAttributes: SearchAttributePair[] },
  signal: SignalDefinition<A>,
  ...signalArgs: A
): Promise<boolean> {
  try {
    await startChild(workflow, {
      workflowId: start.workflowId,
      args: [start.input],
      // The children outlive any one run of the watcher (it continues-as-new) and the watcher itself.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: start.typedSearchAttributes,
    });
    return true;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    await getExternalWorkflowHandle(start.workflowId).signal(signal, ...signalArgs);
    return false;
  }
}

/** Signals a removed child to stop; one that has ended already is fine (`what` names it in the log). */
export async function signalStop<A extends unknown[]>(
  workflowId: string,
  what: string,
  signal: SignalDefinition<A>,
  ...signalArgs: A
): Promise<void> {
  await getExternalWorkflowHandle(workflowId)
    .signal(signal, ...signalArgs)
    .catch((err: unknown) =>
      log.warn(`${what} already gone`, { id: workflowId, error: failureMessage(err) }),
    );
}
