// Runs inside the workflow sandbox (bundled as a workflow interceptor module): deterministic code only,
// no Node built-ins. It reports a workflow's close through a sink, which the worker calls outside the
// sandbox and never during replay, so a replayed history is not counted twice.
import {
  ContinueAsNew,
  isCancellation,
  type Next,
  proxySinks,
  type Sinks,
  TemporalFailure,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';

/** How a workflow closed, as the `outcome` label of sluice_workflow_completed_total. */
export type WorkflowOutcome = 'completed' | 'failed' | 'cancelled' | 'continued_as_new';

/** The sink the worker injects (see workflowMetricsSinks). */
export interface WorkflowMetricsSinks extends Sinks {
  sluiceMetrics: { workflowClosed(outcome: WorkflowOutcome): void };
}

const { sluiceMetrics } = proxySinks<WorkflowMetricsSinks>();

/** The outcome of an error thrown by a workflow; undefined when it fails the task (retried), not the workflow. */
function outcomeOf(err: unknown): WorkflowOutcome | undefined {
  if (err instanceof ContinueAsNew) return 'continued_as_new';
  if (isCancellation(err)) return 'cancelled';
  if (err instanceof TemporalFailure) return 'failed';
  return undefined;
}

class WorkflowMetricsInterceptor implements WorkflowInboundCallsInterceptor {
  async execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    try {
      const result = await next(input);
      sluiceMetrics.workflowClosed('completed');
      return result;
    } catch (err) {
      const outcome = outcomeOf(err);
      if (outcome) sluiceMetrics.workflowClosed(outcome);
      throw err;
    }
  }
}

/** Workflow interceptors factory the bundler picks up from this module. */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new WorkflowMetricsInterceptor()],
});
