import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { clusterKubeConfig } from '../activities/kube/cluster-config.js';
import { startAppNotifier } from '../activities/kube/live-state/app-notifier.js';
import { LiveCache } from '../activities/kube/live-state/live-cache.js';
import type { LiveCacheHooks, LiveLog } from '../activities/kube/live-state/types.js';
import { ObjectApi } from '../activities/kube/object-api.js';
import { liveChangedSignal } from '../workflows/application/messages.js';
import type { WorkerMetrics } from './metrics/registry.js';

/** A cluster's live-state cache on its shared kubeconfig (pool and limits), remembering its kinds under cacheDir/live. */
export function createLiveCache(o: {
  cluster: string;
  kubeconfigPath?: string;
  kubeContext?: string;
  cacheDir: string;
  log: LiveLog;
  hooks?: LiveCacheHooks;
}): LiveCache {
  const kubeConfig = clusterKubeConfig(o.kubeconfigPath, o.kubeContext);
  return new LiveCache({
    kubeConfig,
    objects: ObjectApi.fromConfig(kubeConfig),
    cluster: o.cluster,
    stateDir: join(o.cacheDir, 'live'),
    log: o.log,
    ...(o.hooks ? { hooks: o.hooks } : {}),
  });
}

/** The metrics a cluster's cache counts into: watch restarts and recorded changes. */
export function liveCacheHooks(metrics: WorkerMetrics, cluster: string): LiveCacheHooks {
  return {
    watchRestart: (kind, reason) => metrics.liveWatchRestarts.inc({ cluster, kind, reason }),
    event: (type) => metrics.liveEvents.inc({ cluster, type }),
  };
}

/**
 * Starts a cluster's live-state cache (namespaces and the kinds it watched last run) and routes the changes that
 * matter to the owning application workflows as debounced liveChanged signals. Returns the function that stops
 * both (every watch socket and timer closed).
 */
export function startLiveState(
  cache: LiveCache,
  o: { cluster: string; client: Client; metrics?: WorkerMetrics; log: LiveLog; debounceMs?: number },
): () => Promise<void> {
  o.metrics?.addLiveCache(o.cluster, () => cache.stats());
  cache.start();
  const stopNotifier = startAppNotifier(cache, {
    cluster: o.cluster,
    log: o.log,
    ...(o.debounceMs !== undefined ? { debounceMs: o.debounceMs } : {}),
    notify: (workflowId, notice) => o.client.workflow.getHandle(workflowId).signal(liveChangedSignal, notice),
    onOutcome: (outcome) => o.metrics?.liveSignals.inc({ cluster: o.cluster, outcome }),
  });
  return async () => {
    stopNotifier();
    await cache.stop();
  };
}
