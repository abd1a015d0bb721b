// Drift counts leave the workflow through a sink: the worker increments its Prometheus counters outside the
// sandbox and never during replay, so a replayed history is not counted twice.
import { proxySinks, type Sinks } from '@temporalio/workflow';

/** The sink the worker injects beside the workflow metrics (worker/metrics/workflow-sinks.ts). */
export interface DriftMetricsSinks extends Sinks {
  sluiceDrift: {
    /** An application's live objects were found differing from Git. */
    detected(cluster: string): void;
    /** Self-heal re-applied them. */
    healed(cluster: string): void;
  };
}

/** Counts drift on the worker's /metrics. */
export const driftMetrics = proxySinks<DriftMetricsSinks>().sluiceDrift;
