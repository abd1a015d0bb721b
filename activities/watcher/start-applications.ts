// Starting a commit's applications from an activity with the Temporal client, not as the repository watcher's
// children: Temporal keeps at most 2,000 pending children per workflow (an abandoned child stays pending while it
// runs), so a watcher stopped at 2,000 Applications, and each child start updated the watcher's own history.
import { Context, heartbeat } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { applicationUpdateSignal } from '../../workflows/application/messages.js';
import type { ApplicationInput } from '../../workflows/application/state.js';
import { applicationSearchAttributes } from '../../workflows/shared/search-attributes.js';

/** One application to start: its workflow ID and input. */
export interface ApplicationStart {
  workflowId: string;
  input: ApplicationInput;
}

/** What became of the starts: started now, or already running (handed the new desired state instead). */
export interface ApplicationStarts {
  started: string[];
  updated: string[];
}

/** Starts at once: a commit's batch goes out in a few round trips without a burst of hundreds of RPCs. */
const IN_FLIGHT = 16;

/**
 * Starts each application workflow on `taskQueue`; one already running (an earlier watcher's, or this activity's
 * earlier attempt) gets the update signal with its desired state instead, so a retry changes nothing twice.
 */
export async function startApplications(input: {
  taskQueue: string;
  starts: ApplicationStart[];
}): Promise<ApplicationStarts> {
  const { client } = Context.current();
  const out: ApplicationStarts = { started: [], updated: [] };
  let next = 0;
  const one = async (s: ApplicationStart) => {
    const app = s.input.desired;
    try {
      await client.workflow.start('applicationWorkflow', {
        taskQueue: input.taskQueue,
        workflowId: s.workflowId,
        args: [s.input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        typedSearchAttributes: applicationSearchAttributes(app),
      });
      out.started.push(s.workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      await client.workflow.getHandle(s.workflowId).signal(applicationUpdateSignal, app);
      out.updated.push(s.workflowId);
    }
    heartbeat({ done: out.started.length + out.updated.length, of: input.starts.length });
  };
  await Promise.all(
    Array.from({ length: Math.min(IN_FLIGHT, input.starts.length) }, async () => {
      while (next < input.starts.length) await one(input.starts[next++] as ApplicationStart);
    }),
  );
  return out;
}
