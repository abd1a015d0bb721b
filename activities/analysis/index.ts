import { isJobMetric } from '../../core/analysis/job-metric.js';
import {
  type AnalysisInput,
  type AnalysisRound,
  DEFAULT_ANALYSIS_INTERVAL,
} from '../../core/analysis/types.js';
import type { MetricProviderOptions } from '../../plugins/metrics/factory.js';
import { IN_CLUSTER } from '../../workflows/shared/cluster-queue.js';
import { egressFetch } from '../egress/guarded-fetch.js';
import { whileBeating } from '../keep-alive.js';
import type { KubeClients } from '../kube/client.js';
import { defaultEgress, type EgressConfig } from '../trust/config.js';
import type { ProjectRegistry } from '../trust/projects.js';
import type { SecretAccess } from '../trust/secret-access.js';
import { overallVerdict } from './evaluate.js';
import { activityMeasurement } from './job/measure.js';
import { DEFAULT_QUERY_RETRY, type QueryRetry } from './retry.js';
import { runCheck } from './run-check.js';

/** Dependencies of the analysis activity. */
export interface AnalysisDeps {
  secrets: SecretAccess;
  /** Prometheus for the built-in checks and for MetricTemplates that name no address. */
  defaultPrometheusAddress?: string;
  /** In-activity retries while a provider is unreachable (default: 3 tries, 300 ms then 600 ms apart). */
  queryRetry?: QueryRetry;
  /** Provider options such as the request timeout (default 10 s). */
  provider?: MetricProviderOptions;
  /** Where MetricTemplate addresses may point (default: public addresses only); the default Prometheus is exempt. */
  egress?: EgressConfig;
  /** The cluster job metrics create their Jobs in (this worker's, or the destination queue's). */
  kube?: KubeClients;
  /** The administrator's Projects: a job metric's Job is created only where the Rollout's Project allows Jobs. */
  projects?: ProjectRegistry;
  /** How often a job metric's Job is read while it runs (default 1 s). */
  jobPollMs?: number;
}

/** Activities of metric analysis. */
export function analysisActivities(deps: AnalysisDeps) {
  return {
    /**
     * Runs every check of one analysis round against its metric provider, concurrently, and judges
     * the round. Problems (unreachable provider, bad query, missing secret) become `Error` results,
     * so this returns rather than throws and the workflow counts them as failed checks.
     */
    async runAnalysis(input: AnalysisInput): Promise<AnalysisRound> {
      const ctx = {
        rollout: input.rollout,
        interval: input.interval ?? DEFAULT_ANALYSIS_INTERVAL,
        secrets: deps.secrets,
        caller: input.caller,
        defaultPrometheusAddress: deps.defaultPrometheusAddress,
        retry: deps.queryRetry ?? DEFAULT_QUERY_RETRY,
        provider: deps.provider,
        egressFetch: egressFetch(deps.egress ?? defaultEgress),
        ...(input.checks.some((c) => isJobMetric(c.template)) && {
          jobs: {
            ...(deps.kube && { kube: deps.kube }),
            ...(deps.projects && { projects: deps.projects }),
            cluster: input.cluster ?? IN_CLUSTER,
            measurement: input.measurement ?? activityMeasurement(),
            ...(deps.jobPollMs !== undefined && { pollMs: deps.jobPollMs }),
          },
        }),
      };
      // Queries retry with backoff inside a check: beat on a timer so the round is not mistaken for lost.
      const checks = await whileBeating({ checks: input.checks.length }, () =>
        Promise.all(input.checks.map((check) => runCheck(check, ctx))),
      );
      return { verdict: overallVerdict(checks), checks };
    },
  };
}
