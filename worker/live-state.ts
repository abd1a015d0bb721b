import type { Client } from '@temporalio/client';
import { startAppNotifier } from '../activities/kube/live-state/app-notifier.js';
import type { LiveCache } from '../activities/kube/live-state/live-cache.js';
import type { LiveCacheHooks, LiveLog } from '../activities/kube/live-state/types.js';
import { liveChangedSignal } from '../workflows/application/messages.js';
import type { WorkerMetrics } from './metrics/registry.js';

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
  o: { cluster: string; client: Client; metrics: WorkerMetrics; log: LiveLog; debounceMs?: number },
): () => Promise<void> {
  o.metrics.addLiveCache(o.cluster, () => cache.stats());
  cache.start();
  const stopNotifier = startAppNotifier(cache, {
    cluster: o.cluster,
    log: o.log,
    ...(o.debounceMs !== undefined ? { debounceMs: o.debounceMs } : {}),
    notify: (workflowId, notice) => o.client.workflow.getHandle(workflowId).signal(liveChangedSignal, notice),
    onOutcome: (outcome) => o.metrics.liveSignals.inc({ cluster: o.cluster, outcome }),
  });
  return async () => {
    stopNotifier();
    await cache.stop();
  };
}
