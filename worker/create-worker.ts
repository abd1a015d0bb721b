import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { SluiceActivities } from '../activities/index.js';
import { activityMetricsInterceptor } from './metrics/activity-interceptor.js';
import type { WorkerMetrics } from './metrics/registry.js';
import { workflowInterceptorsPath, workflowMetricsSinks } from './metrics/workflow-sinks.js';
import { workflowsPath } from './workflows-path.js';

/** Options for a Sluice worker on one task queue. */
export interface SluiceWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities: SluiceActivities;
  /** Count activities (and, on a workflow worker, closed workflows) into these metrics. */
  metrics?: WorkerMetrics;
  /** How long running activities may finish after shutdown() before they are cancelled (SDK default 0). */
  shutdownGraceTimeMs?: number;
}

function common(opts: SluiceWorkerOptions): WorkerOptions {
  return {
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.shutdownGraceTimeMs !== undefined ? { shutdownGraceTime: opts.shutdownGraceTimeMs } : {}),
  };
}

/** Creates a worker that runs every Sluice workflow and the given activities on one task queue. */
export function createWorker(opts: SluiceWorkerOptions): Promise<Worker> {
  const { metrics } = opts;
  return Worker.create({
    ...common(opts),
    workflowsPath: workflowsPath(),
    ...(metrics
      ? {
          interceptors: {
            activity: [activityMetricsInterceptor(metrics)],
            workflowModules: [workflowInterceptorsPath()],
          },
          sinks: workflowMetricsSinks(metrics),
        }
      : {}),
  });
}

/** Creates a worker that runs only activities, for a destination cluster's task queue. */
export function createActivityWorker(opts: SluiceWorkerOptions): Promise<Worker> {
  return Worker.create({
    ...common(opts),
    ...(opts.metrics ? { interceptors: { activity: [activityMetricsInterceptor(opts.metrics)] } } : {}),
  });
}
