import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { clusterTaskQueue } from '../workflows/cluster-queue.js';
import { buildActivityDeps } from './activity-deps.js';
import type { WorkerConfig } from './config.js';
import { createActivityWorker, createWorker } from './create-worker.js';
import { repoWebhookHandlers, startRepoWatchers } from './repositories.js';
import { startWebhookReceiver } from './webhooks/receiver.js';

/** Structured log line on stdout. */
function log(level: string, msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

/**
 * Runs a worker until SIGINT/SIGTERM: the Temporal worker on the task queue, one watcher per configured
 * repository (started if not running), and the push-webhook receiver. Shutdown lets running activities finish.
 */
export async function runWorker(config: WorkerConfig): Promise<void> {
  const depsFor = (kubeconfigPath?: string, kubeContext?: string) =>
    buildActivityDeps({
      kubeconfigPath,
      kubeContext,
      kubeLimits: config.kube,
      cacheDir: config.cacheDir,
      secretsDir: config.secretsDir,
      repositories: config.repositories,
      ...(config.prometheus ? { prometheusAddress: config.prometheus.address } : {}),
      ...(config.temporalUiUrl ? { temporalUiUrl: config.temporalUiUrl } : {}),
      ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    });
  const deps = depsFor(config.kubeconfig);
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const base = { connection: nativeConnection, namespace: config.temporal.namespace };

  // A worker inside a destination cluster serves only that cluster's activities.
  if (config.serveCluster) {
    const queue = clusterTaskQueue(config.serveCluster) as string;
    const worker = await createActivityWorker({
      ...base,
      taskQueue: queue,
      activities: createActivities(deps),
    });
    log('info', 'cluster worker started', {
      temporal: config.temporal.address,
      cluster: config.serveCluster,
      taskQueue: queue,
    });
    try {
      await worker.run();
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
    return;
  }

  const worker = await createWorker({
    ...base,
    taskQueue: config.taskQueue,
    activities: createActivities(deps),
  });
  const clusterWorkers = await Promise.all(
    config.clusters.map((c) =>
      createActivityWorker({
        ...base,
        taskQueue: clusterTaskQueue(c.name) as string,
        activities: createActivities(depsFor(c.kubeconfig, c.context)),
      }),
    ),
  );
  const receiver = await startWebhookReceiver({
    ...repoWebhookHandlers(client, config.repositories, deps.secrets),
    host: config.webhooks.host,
    port: config.webhooks.port,
    maxBodyBytes: config.webhooks.maxBodyBytes,
    log,
  });
  await startRepoWatchers(client, config.taskQueue, config.repositories);
  log('info', 'worker started', {
    temporal: config.temporal.address,
    namespace: config.temporal.namespace,
    taskQueue: config.taskQueue,
    clusters: config.clusters.map((c) => `${c.name} (${clusterTaskQueue(c.name)})`),
    webhooks: `${receiver.url}/webhooks/git/<repository id>`,
    repositories: config.repositories.map((r) => r.id),
  });
  try {
    // The SDK shuts every worker down gracefully on SIGINT/SIGTERM.
    await Promise.all([worker.run(), ...clusterWorkers.map((w) => w.run())]);
  } finally {
    await receiver.close();
    await connection.close();
    await nativeConnection.close();
    log('info', 'worker stopped');
  }
}
