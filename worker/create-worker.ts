import { bundleWorkflowCode, type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { SluiceActivities } from '../activities/index.js';
import { bundleBuildId, type DeploymentConfig, workerDeploymentOptions } from './deployment.js';
import { activityMetricsInterceptor } from './metrics/activity-interceptor.js';
import type { WorkerMetrics } from './metrics/registry.js';
import { workflowInterceptorsPath, workflowMetricsSinks } from './metrics/workflow-sinks.js';
import { tuningOptions, type WorkerTuning } from './tuning.js';
import { versionedWorkflowsModule, workflowsPath } from './workflows-path.js';

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
  /** Run as this Worker Deployment version (worker/deployment.ts); absent = unversioned. */
  deployment?: DeploymentConfig;
  /** More workflow interceptor modules bundled with the workflows (paths for the bundler). */
  workflowInterceptorModules?: string[];
  /** The worker's identity in Temporal (default the SDK's `<pid>@<hostname>`). */
  identity?: string;
  /** Task slots, pollers and workflow cache (worker/tuning.ts); absent knobs keep the SDK's defaults. */
  tuning?: WorkerTuning;
}

/** A workflow worker as created, with the deployment version it runs as (undefined when unversioned). */
export interface SluiceWorker {
  worker: Worker;
  version?: { deploymentName: string; buildId: string };
}

function common(opts: SluiceWorkerOptions, runsWorkflows: boolean): WorkerOptions {
  return {
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.identity !== undefined ? { identity: opts.identity } : {}),
    ...tuningOptions(opts.tuning ?? {}, runsWorkflows),
    ...(opts.shutdownGraceTimeMs !== undefined ? { shutdownGraceTime: opts.shutdownGraceTimeMs } : {}),
  };
}

/** Creates a worker that runs every Sluice workflow and the given activities on one task queue. */
export async function createWorker(opts: SluiceWorkerOptions): Promise<Worker> {
  return (await createVersionedWorker(opts)).worker;
}

/**
 * Creates a workflow worker and reports its deployment version. A versioned worker bundles its workflows
 * first, so the build ID it defaults to is the hash of exactly the code it runs.
 */
export async function createVersionedWorker(opts: SluiceWorkerOptions): Promise<SluiceWorker> {
  const { metrics, deployment } = opts;
  const workflowModules = [
    ...(deployment ? [versionedWorkflowsModule()] : []),
    ...(metrics ? [workflowInterceptorsPath()] : []),
    ...(opts.workflowInterceptorModules ?? []),
  ];
  const code = deployment
    ? (
        await bundleWorkflowCode({
          workflowsPath: workflowsPath(),
          workflowInterceptorModules: workflowModules,
        })
      ).code
    : undefined;
  const version =
    deployment && code !== undefined
      ? { deploymentName: deployment.name, buildId: deployment.buildId ?? bundleBuildId(code) }
      : undefined;
  const worker = await Worker.create({
    ...common(opts, true),
    ...(code !== undefined ? { workflowBundle: { code } } : { workflowsPath: workflowsPath() }),
    ...(version
      ? { workerDeploymentOptions: workerDeploymentOptions(version.deploymentName, version.buildId) }
      : {}),
    interceptors: {
      ...(metrics ? { activity: [activityMetricsInterceptor(metrics)] } : {}),
      ...(code === undefined && workflowModules.length > 0 ? { workflowModules } : {}),
    },
    ...(metrics ? { sinks: workflowMetricsSinks(metrics) } : {}),
  });
  return { worker, ...(version ? { version } : {}) };
}

/** Creates a worker that runs only activities, for a destination cluster's task queue. */
export function createActivityWorker(opts: SluiceWorkerOptions): Promise<Worker> {
  return Worker.create({
    ...common(opts, false),
    ...(opts.metrics ? { interceptors: { activity: [activityMetricsInterceptor(opts.metrics)] } } : {}),
  });
}
