import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InjectedSinks } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { AnalysisMetricsSinks } from '../../workflows/shared/analysis-metrics.js';
import type { DriftMetricsSinks } from '../../workflows/shared/drift-metrics.js';
import { SluiceApp } from '../../workflows/shared/search-attributes.js';
import type { WorkerMetrics } from './registry.js';
import type { WorkflowMetricsSinks } from './workflow-interceptors.js';

/** Path of the workflow interceptor module for the bundler: TypeScript source under tests, compiled JS from dist. */
export function workflowInterceptorsPath(): string {
  for (const rel of ['./workflow-interceptors.ts', './workflow-interceptors.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('cannot find worker/metrics/workflow-interceptors.(ts|js): run `npm run build`');
}

/**
 * The application a sync workflow works for, from its SluiceApp search attribute ("" when it has none). Sink
 * calls reach the worker through a message port when workflows run in worker threads, so `info` arrives as
 * a structured clone: TypedSearchAttributes without its methods, the plain `searchAttributes` record intact.
 */
export function applicationOf(
  info: Pick<WorkflowInfo, 'searchAttributes' | 'typedSearchAttributes'>,
): string {
  const typed = info.typedSearchAttributes as Partial<WorkflowInfo['typedSearchAttributes']> | undefined;
  if (typeof typed?.get === 'function') return typed.get(SluiceApp) ?? '';
  const plain = (info.searchAttributes as Record<string, unknown> | undefined)?.SluiceApp;
  return Array.isArray(plain) && typeof plain[0] === 'string' ? plain[0] : '';
}

/**
 * The worker side of the workflow sinks: each closed workflow by its type (and a sync's duration), drift
 * found and healed by cluster, and each analysis round's results.
 */
export function workflowMetricsSinks(
  metrics: WorkerMetrics,
): InjectedSinks<WorkflowMetricsSinks & DriftMetricsSinks & AnalysisMetricsSinks> {
  return {
    sluiceAnalysis: {
      round: {
        fn: (_info, rollout, application, checks) => {
          for (const { metric, result } of checks)
            metrics.analysisResults.inc({ rollout, application, metric, result });
        },
        callDuringReplay: false,
      },
    },
    sluiceDrift: {
      detected: { fn: (_info, cluster) => metrics.driftDetected.inc({ cluster }), callDuringReplay: false },
      healed: { fn: (_info, cluster) => metrics.driftHealed.inc({ cluster }), callDuringReplay: false },
    },
    sluiceMetrics: {
      workflowClosed: {
        fn: (info, outcome) => {
          metrics.workflowCompleted.inc({ workflow_type: info.workflowType, outcome });
          // A continued-as-new run is not the end of a sync; syncs do not continue as new anyway.
          if (info.workflowType === 'syncWorkflow' && outcome !== 'continued_as_new')
            metrics.syncDuration.observe(
              { application: applicationOf(info), outcome },
              (Date.now() - new Date(info.startTime).getTime()) / 1000,
            );
        },
        callDuringReplay: false,
      },
    },
  };
}
