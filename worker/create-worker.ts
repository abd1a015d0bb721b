import { type NativeConnection, Worker } from '@temporalio/worker';
import type { SluiceActivities } from '../activities/index.js';
import { workflowsPath } from './workflows-path.js';

/** Options for a Sluice worker on one task queue. */
export interface SluiceWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities: SluiceActivities;
}

/** Creates a worker that runs every Sluice workflow and the given activities on one task queue. */
export function createWorker(opts: SluiceWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    workflowsPath: workflowsPath(),
    activities: opts.activities,
  });
}

/** Creates a worker that runs only activities, for a destination cluster's task queue. */
export function createActivityWorker(opts: SluiceWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    activities: opts.activities,
  });
}
