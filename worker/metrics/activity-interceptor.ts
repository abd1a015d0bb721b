import type { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { WorkerMetrics } from './registry.js';

/** The `error` label of a failed attempt: the ApplicationFailure type or the error's class name (a bounded set). */
export function errorKind(err: unknown): string {
  if (err instanceof ApplicationFailure) return err.type ?? 'ApplicationFailure';
  if (err instanceof Error) return err.name || err.constructor.name || 'Error';
  return typeof err;
}

function outcomeOf(err: unknown): 'cancelled' | 'failed' {
  return err instanceof CancelledFailure || (err instanceof Error && err.name === 'AbortError')
    ? 'cancelled'
    : 'failed';
}

/** Counts and times every activity attempt this worker runs (sluice_activity_*). */
export function activityMetricsInterceptor(metrics: WorkerMetrics): ActivityInterceptorsFactory {
  return (ctx: Context) => ({
    inbound: {
      async execute(input, next) {
        const activity = ctx.info.activityType;
        const stop = metrics.activityDuration.startTimer({ activity });
        try {
          const result = await next(input);
          metrics.activityTotal.inc({ activity, outcome: 'completed' });
          return result;
        } catch (err) {
          const outcome = outcomeOf(err);
          metrics.activityTotal.inc({ activity, outcome });
          if (outcome === 'failed') metrics.activityErrors.inc({ activity, error: errorKind(err) });
          throw err;
        } finally {
          stop();
        }
      },
    },
  });
}
