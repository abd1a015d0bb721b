import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { buildActivityDeps } from './activity-deps.js';
import type { WorkerConfig } from './config.js';
import { createWorker } from './create-worker.js';
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
  const deps = buildActivityDeps({
    kubeconfigPath: config.kubeconfig,
    cacheDir: config.cacheDir,
    secretsDir: config.secretsDir,
  });
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue: config.taskQueue,
    activities: createActivities(deps),
  });
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
    webhooks: `${receiver.url}/webhooks/git/<repository id>`,
    repositories: config.repositories.map((r) => r.id),
  });
  try {
    await worker.run(); // the SDK shuts down gracefully on SIGINT/SIGTERM
  } finally {
    await receiver.close();
    await connection.close();
    await nativeConnection.close();
    log('info', 'worker stopped');
  }
}
