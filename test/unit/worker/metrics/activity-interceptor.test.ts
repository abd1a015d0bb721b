import type { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { activityMetricsInterceptor, errorKind } from '../../../../worker/metrics/activity-interceptor.js';
import { createWorkerMetrics } from '../../../../worker/metrics/registry.js';

class GitAuthError extends Error {
  override name = 'GitAuthError';
}

async function run(
  metrics: ReturnType<typeof createWorkerMetrics>,
  activityType: string,
  body: () => unknown,
) {
  const ctx = { info: { activityType } } as unknown as Context;
  const execute = activityMetricsInterceptor(metrics)(ctx).inbound?.execute;
  if (!execute) throw new Error('no inbound execute interceptor');
  return execute({ args: [], headers: {} }, async () => body()).catch((e: unknown) => e);
}

describe('activity metrics interceptor', () => {
  it('counts outcomes, times every attempt and labels errors by kind', async () => {
    const m = createWorkerMetrics();
    expect(await run(m, 'applyManifests', () => 3)).toBe(3);
    await run(m, 'applyManifests', () => {
      throw new GitAuthError('denied');
    });
    await run(m, 'fetchRevision', () => {
      throw ApplicationFailure.nonRetryable('bad file', 'InvalidPipelineFile');
    });
    await run(m, 'waitDeploymentAvailable', () => {
      throw new CancelledFailure('worker shutdown');
    });
    const text = await m.registry.metrics();
    expect(text).toContain('sluice_activity_total{activity="applyManifests",outcome="completed"} 1');
    expect(text).toContain('sluice_activity_total{activity="applyManifests",outcome="failed"} 1');
    expect(text).toContain('sluice_activity_total{activity="waitDeploymentAvailable",outcome="cancelled"} 1');
    expect(text).toContain('sluice_activity_errors_total{activity="applyManifests",error="GitAuthError"} 1');
    expect(text).toContain(
      'sluice_activity_errors_total{activity="fetchRevision",error="InvalidPipelineFile"} 1',
    );
    // A cancellation is an outcome, not an error.
    expect(text).not.toMatch(/sluice_activity_errors_total\{activity="waitDeploymentAvailable"/);
    expect(text).toContain('sluice_activity_duration_seconds_count{activity="applyManifests"} 2');
    // Default process metrics live on the same (non-global) registry.
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('names non-Error throws by their type', () => {
    expect(errorKind('boom')).toBe('string');
    expect(errorKind(new TypeError('x'))).toBe('TypeError');
  });
});
