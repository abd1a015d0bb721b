import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InjectedSinks } from '@temporalio/worker';
import type { DriftMetricsSinks } from '../../workflows/shared/drift-metrics.js';
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

/** The worker side of the workflow sinks: each closed workflow by its type, and drift found and healed by cluster. */
export function workflowMetricsSinks(
  metrics: WorkerMetrics,
): InjectedSinks<WorkflowMetricsSinks & DriftMetricsSinks> {
  return {
    sluiceDrift: {
      detected: { fn: (_info, cluster) => metrics.driftDetected.inc({ cluster }), callDuringReplay: false },
      healed: { fn: (_info, cluster) => metrics.driftHealed.inc({ cluster }), callDuringReplay: false },
    },
    sluiceMetrics: {
      workflowClosed: {
        fn: (info, outcome) => metrics.workflowCompleted.inc({ workflow_type: info.workflowType, outcome }),
        callDuringReplay: false,
      },
    },
  };
}
