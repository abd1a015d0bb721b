import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The worker's Prometheus metrics, on a registry of its own (not prom-client's global one). */
export interface WorkerMetrics {
  registry: Registry;
  activityTotal: Counter<'activity' | 'outcome'>;
  activityDuration: Histogram<'activity'>;
  activityErrors: Counter<'activity' | 'error'>;
  workflowCompleted: Counter<'workflow_type' | 'outcome'>;
}

/** Creates the registry with Node's default process metrics and Sluice's activity and workflow families. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    activityTotal: new Counter({
      name: 'sluice_activity_total',
      help: 'Activity executions finished on this worker, by activity type and outcome (completed, failed, cancelled).',
      labelNames: ['activity', 'outcome'],
      registers: [registry],
    }),
    activityDuration: new Histogram({
      name: 'sluice_activity_duration_seconds',
      help: 'Wall time of one activity execution attempt on this worker.',
      labelNames: ['activity'],
      // Activities range from a 5 ms API read to a rollout step's long, heartbeating wait.
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers: [registry],
    }),
    activityErrors: new Counter({
      name: 'sluice_activity_errors_total',
      help: 'Failed activity attempts, by activity type and error kind (the error class or ApplicationFailure type).',
      labelNames: ['activity', 'error'],
      registers: [registry],
    }),
    workflowCompleted: new Counter({
      name: 'sluice_workflow_completed_total',
      help: 'Workflow executions this worker closed, by type and outcome (completed, failed, cancelled, continued_as_new).',
      labelNames: ['workflow_type', 'outcome'],
      registers: [registry],
    }),
  };
}
