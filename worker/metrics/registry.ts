import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The worker's Prometheus metrics, on a registry of its own (not prom-client's global one). */
export interface WorkerMetrics {
  registry: Registry;
  activityTotal: Counter<'activity' | 'outcome'>;
  activityDuration: Histogram<'activity'>;
  activityErrors: Counter<'activity' | 'error'>;
  workflowCompleted: Counter<'workflow_type' | 'outcome'>;
  /** Objects held by each cluster's live-state cache (set at scrape time from the caches' stats). */
  liveObjects: Gauge<'cluster'>;
  liveWatchRestarts: Counter<'cluster' | 'kind' | 'reason'>;
  liveEvents: Counter<'cluster' | 'type'>;
  liveSignals: Counter<'cluster' | 'outcome'>;
  /** Drift found on an application's objects (the sync path increments it). */
  driftDetected: Counter<'cluster'>;
  /** Drift Sluice re-applied (self-heal). */
  driftHealed: Counter<'cluster'>;
  /** Wall time of each sync workflow from start to close, by application and outcome (observed by the worker that closes it). */
  syncDuration: Histogram<'application' | 'outcome'>;
  /** Each metric check of each analysis round, by rollout, application, metric and result (Successful, Failed, …). */
  analysisResults: Counter<'rollout' | 'application' | 'metric' | 'result'>;
  /** Registers a cache whose object count `sluice_live_objects{cluster}` reports. */
  addLiveCache(cluster: string, stats: () => { total: number }): void;
}

/** Creates the registry with Node's default process metrics and Sluice's activity and workflow families. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const caches = new Map<string, () => { total: number }>();
  const liveObjects = new Gauge({
    name: 'sluice_live_objects',
    help: "Objects in the cluster's live-state cache (Sluice-labelled objects of the watched kinds, plus namespaces).",
    labelNames: ['cluster'],
    registers: [registry],
    collect() {
      for (const [cluster, stats] of caches) this.set({ cluster }, stats().total);
    },
  });
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
    liveObjects,
    liveWatchRestarts: new Counter({
      name: 'sluice_live_watch_restarts_total',
      help: 'Live-state watch streams restarted, by cluster, kind and reason (closed, gone = relist after 410, broken, stalled, http_<code>, error).',
      labelNames: ['cluster', 'kind', 'reason'],
      registers: [registry],
    }),
    liveEvents: new Counter({
      name: 'sluice_live_events_total',
      help: 'Changes the live-state cache recorded (watch events, relist differences, observed writes), by type.',
      labelNames: ['cluster', 'type'],
      registers: [registry],
    }),
    liveSignals: new Counter({
      name: 'sluice_live_signals_total',
      help: 'liveChanged signals sent to application workflows, by outcome (sent, not_found, failed).',
      labelNames: ['cluster', 'outcome'],
      registers: [registry],
    }),
    driftDetected: new Counter({
      name: 'sluice_drift_detected_total',
      help: "Drift found on applications' objects: a live object no longer matching what Sluice applied.",
      labelNames: ['cluster'],
      registers: [registry],
    }),
    driftHealed: new Counter({
      name: 'sluice_drift_healed_total',
      help: 'Drift that self-heal re-applied.',
      labelNames: ['cluster'],
      registers: [registry],
    }),
    syncDuration: new Histogram({
      name: 'sluice_application_sync_duration_seconds',
      help: 'Duration of a sync (render, apply, prune, health) from the start of its workflow to its close, by application and outcome (completed, failed, cancelled).',
      labelNames: ['application', 'outcome'],
      // A ConfigMap syncs in well under a second; a wave of Deployments waits minutes for health.
      buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    }),
    analysisResults: new Counter({
      name: 'sluice_analysis_results_total',
      help: 'Metric checks of rollout analysis rounds, by rollout, application, metric and result (Successful, Failed, Inconclusive, Error).',
      labelNames: ['rollout', 'application', 'metric', 'result'],
      registers: [registry],
    }),
    addLiveCache(cluster, stats) {
      caches.set(cluster, stats);
    },
  };
}
