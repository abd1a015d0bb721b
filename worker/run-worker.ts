import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import type { LiveCache } from '../activities/kube/live-state/live-cache.js';
import { SecretStore } from '../activities/secrets/secret-store.js';
import { loadRendererPlugins } from '../plugins/renderers/factory.js';
import { clusterTaskQueue, IN_CLUSTER } from '../workflows/shared/cluster-queue.js';
import { durationMs } from '../workflows/shared/duration.js';
import { buildActivityDeps, secretSources } from './activity-deps.js';
import { lockCacheDir } from './cache-dir-lock.js';
import type { WorkerConfig } from './config.js';
import { createActivityWorker, createVersionedWorker, type SluiceWorker } from './create-worker.js';
import { workerIdentity } from './identity.js';
import { checkKubernetesApi } from './kube-check.js';
import { createLiveCache, liveCacheHooks, startLiveState } from './live-state.js';
import { createLogger, logFn } from './logger.js';
import { addFleetMetrics } from './metrics/fleet-metrics.js';
import { createWorkerMetrics } from './metrics/registry.js';
import { repoWebhookHandlers, startRepoWatchers } from './repositories.js';
import { registerSearchAttributes } from './search-attributes.js';
import { type StatusServer, startStatusServer } from './status-server.js';
import { temporalConnectionOptions } from './temporal-connection.js';
import { effectiveTuning } from './tuning.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhooks/receiver.js';

/**
 * Runs a worker until SIGINT/SIGTERM: the Temporal worker on the task queue (or only a cluster's activity
 * queue with `serveCluster`), one watcher per configured repository, the push-webhook receiver, and the
 * status server (/healthz, /metrics) when `metrics` is configured. On the first signal every Temporal worker
 * stops polling and running activities get `shutdownGraceTime` to finish (they are cancelled after it and
 * retried elsewhere); a second signal exits at once.
 */
export async function runWorker(config: WorkerConfig, logger = createLogger(config.logLevel)): Promise<void> {
  const log = logFn(logger);
  // A worker without a reachable Kubernetes API stops here, naming the config it tried.
  const kube = await checkKubernetesApi(config.kubeconfig);
  const identity = workerIdentity(config.identity);
  // Next: a second worker on the same cacheDir stops here, before it touches the Git cache.
  const releaseCacheDir = lockCacheDir(config.cacheDir, identity);
  const metrics = createWorkerMetrics();
  if (config.plugins.renderers.length > 0) {
    const { dir } = config.plugins;
    const renderers = await loadRendererPlugins(config.plugins.renderers, dir ? { resolveFrom: dir } : {});
    log('info', 'renderer plugins loaded', {
      packages: config.plugins.renderers,
      ...(dir ? { from: dir } : {}),
      renderers: renderers.map((r) => r.name),
    });
  }
  const secretStore = new SecretStore(secretSources(config.secrets, config.kubeconfig));
  // Each cluster this process serves gets one live-state cache, built with its deps and started once Temporal is up.
  const liveClusters = new Map<string, LiveCache>();
  const depsFor = (
    cluster: string,
    kubeconfigPath?: string,
    kubeContext?: string,
    kubeLimits = config.kube,
  ) => {
    const live = createLiveCache({
      cluster,
      kubeconfigPath,
      kubeContext,
      cacheDir: config.cacheDir,
      log,
      hooks: liveCacheHooks(metrics, cluster),
    });
    liveClusters.set(cluster, live);
    return buildActivityDeps({
      kubeconfigPath,
      kubeContext,
      kubeLimits,
      live,
      cacheDir: config.cacheDir,
      secretStore,
      trust: config.trust,
      clusters: config.clusters,
      ...(config.prometheus ? { prometheusAddress: config.prometheus.address } : {}),
      ...(config.rollouts.defaultProvider ? { defaultTrafficProvider: config.rollouts.defaultProvider } : {}),
      ...(config.temporalUiUrl ? { temporalUiUrl: config.temporalUiUrl } : {}),
      ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    });
  };
  const deps = depsFor(config.serveCluster ?? IN_CLUSTER, config.kubeconfig);
  const workers = new Map<string, Worker>(); // task queue → Temporal worker
  const states = () => Object.fromEntries([...workers].map(([q, w]) => [q, w.getState()]));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log('warn', 'second signal: exiting without waiting for running activities', { signal });
      process.exit(1);
    }
    stopping = true;
    log('info', 'shutdown requested: no new tasks; running activities may finish', {
      signal,
      shutdownGraceTime: config.shutdownGraceTime,
      workers: states(),
    });
    for (const w of workers.values()) if (w.getState() === 'RUNNING') w.shutdown();
  };
  // Listening from the start: a signal during start-up is logged too (the SDK's own handler stops
  // workers that are not yet running).
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const started = Date.now();
  let nativeConnection: NativeConnection | undefined;
  let connection: Connection | undefined;
  let status: StatusServer | undefined;
  let receiver: WebhookReceiver | undefined;
  let version: SluiceWorker['version'];
  const stopLive: (() => Promise<void>)[] = [];
  try {
    const connectionOptions = temporalConnectionOptions(config.temporal);
    nativeConnection = await NativeConnection.connect(connectionOptions);
    connection = await Connection.connect(connectionOptions);
    // Only the workflow worker starts workflows, which set Sluice's search attributes.
    if (!config.serveCluster) await registerSearchAttributes(connection, config.temporal.namespace, log);
    const client = new Client({
      connection,
      namespace: config.temporal.namespace,
      identity,
    });
    const base = {
      connection: nativeConnection,
      namespace: config.temporal.namespace,
      identity,
      tuning: config.tuning,
      metrics,
      shutdownGraceTimeMs: durationMs(config.shutdownGraceTime),
    };
    // A worker inside a destination cluster serves only that cluster's activities.
    if (config.serveCluster) {
      const queue = clusterTaskQueue(config.serveCluster) as string;
      const activities = createActivities(deps);
      workers.set(queue, await createActivityWorker({ ...base, taskQueue: queue, activities }));
    } else {
      const activities = createActivities(deps);
      // Only the workflow worker is versioned: a cluster's activity queue keeps serving every version.
      const created = await createVersionedWorker({
        ...base,
        taskQueue: config.taskQueue,
        activities,
        ...(config.deployment ? { deployment: config.deployment } : {}),
      });
      version = created.version;
      workers.set(config.taskQueue, created.worker);
      for (const c of config.clusters) {
        const queue = clusterTaskQueue(c.name) as string;
        const clusterActivities = createActivities(
          depsFor(c.name, c.kubeconfig, c.context, { ...config.kube, ...c.kube }),
        );
        workers.set(
          queue,
          await createActivityWorker({ ...base, taskQueue: queue, activities: clusterActivities }),
        );
      }
    }
    for (const [cluster, cache] of liveClusters) {
      stopLive.push(startLiveState(cache, { cluster, client, metrics, log }));
    }
    if (config.metrics) {
      // Per-application and per-rollout gauges, read from Temporal at scrape time (docs/observability.md).
      if (!config.serveCluster)
        addFleetMetrics(metrics.registry, {
          client,
          taskQueue: config.taskQueue,
          ttlMs: durationMs(config.metrics.fleetCacheTtl),
          log,
        });
      status = await startStatusServer({
        host: config.metrics.host,
        port: config.metrics.port,
        registry: metrics.registry,
        workerStates: states,
      });
    }
    if (!config.serveCluster) {
      receiver = await startWebhookReceiver({
        ...repoWebhookHandlers(client, config.repositories, deps.secrets),
        host: config.webhooks.host,
        port: config.webhooks.port,
        maxBodyBytes: config.webhooks.maxBodyBytes,
        log,
      });
      await startRepoWatchers(client, config.taskQueue, config.repositories, config.applications);
    }
    // One worker failing (a fatal error, not a signal) stops the others too, so the process exits.
    const running = [...workers.values()].map((w) =>
      w.run().catch((err: unknown) => {
        log('error', 'Temporal worker failed; stopping the others', { error: (err as Error).message });
        for (const other of workers.values()) if (other.getState() === 'RUNNING') other.shutdown();
        throw err;
      }),
    );
    if (stopping) for (const w of workers.values()) if (w.getState() === 'RUNNING') w.shutdown();
    log('info', config.serveCluster ? 'cluster worker started' : 'worker started', {
      temporal: config.temporal.address,
      namespace: config.temporal.namespace,
      tls: config.temporal.tls !== undefined,
      kubernetes: { server: kube.server, context: kube.context, version: kube.version, from: kube.source },
      taskQueues: [...workers.keys()],
      ...(config.serveCluster ? { cluster: config.serveCluster } : {}),
      // The first worker is the workflow worker (or the cluster's activity worker): what it really runs with.
      tuning: effectiveTuning(([...workers.values()][0] as Worker).options, !config.serveCluster),
      ...(version
        ? {
            deploymentVersion: `${version.deploymentName}:${version.buildId}`,
            // A version gets no tasks until it is current; say how, since nothing else will.
            promote: `sluice worker promote ${version.buildId} --deployment ${version.deploymentName}`,
          }
        : {}),
      ...(receiver ? { webhooks: `${receiver.url}/webhooks/git/<repository id>` } : {}),
      ...(status ? { healthz: `${status.url}/healthz`, metrics: `${status.url}/metrics` } : {}),
      repositories: config.serveCluster ? [] : config.repositories.map((r) => r.id),
    });
    const failed = (await Promise.allSettled(running)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await receiver?.close();
    await Promise.all(stopLive.map((stop) => stop()));
    await status?.close();
    await connection?.close();
    await nativeConnection?.close();
    releaseCacheDir();
    log('info', 'worker stopped', { uptimeSeconds: Math.round((Date.now() - started) / 1000) });
  }
}
