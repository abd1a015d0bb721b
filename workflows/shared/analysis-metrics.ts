// Analysis results leave the workflow through a sink: the worker counts them outside the sandbox and never
// during replay, so a replayed history is not counted twice. A sink call is no command: adding one changes
// nothing in a workflow's history.
import { proxySinks, type Sinks } from '@temporalio/workflow';

/** The sink the worker injects beside the workflow metrics (worker/metrics/workflow-sinks.ts). */
export interface AnalysisMetricsSinks extends Sinks {
  sluiceAnalysis: {
    /** One analysis round of a rollout: each metric check's name and result. */
    round(rollout: string, application: string, checks: { metric: string; result: string }[]): void;
  };
}

/** Counts analysis results on the worker's /metrics (sluice_analysis_results_total). */
export const analysisMetrics = proxySinks<AnalysisMetricsSinks>().sluiceAnalysis;
