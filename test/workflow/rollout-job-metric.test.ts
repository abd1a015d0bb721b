import { Context } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import type { AnalysisInput } from '../../core/analysis/types.js';
import type { RolloutStatus } from '../../workflows/rollout/messages.js';
import { rolloutFakes } from './fakes/rollout.js';
import { rolloutInput } from './helpers/rollout-input.js';
import { withWorker } from './helpers/test-env.js';

// A round with a job metric waits for its Jobs: it gets the longest job timeout plus two minutes and the
// Rollout's cluster; a round without one keeps the 3-minute rolloutCheck timeout.
describe('rollout analysis with a job metric', () => {
  it('sizes the round’s timeout from the longest job timeout and names the cluster', async () => {
    const fake = rolloutFakes();
    const seen: { cluster?: string; startToCloseMs: number; checks: string[] }[] = [];
    const runAnalysis = async (input: AnalysisInput) => {
      seen.push({
        ...(input.cluster ? { cluster: input.cluster } : {}),
        startToCloseMs: Context.current().info.startToCloseTimeoutMs,
        checks: input.checks.map((c) => c.name),
      });
      return fake.activities.runAnalysis?.(input) as ReturnType<
        NonNullable<typeof fake.activities.runAnalysis>
      >;
    };
    const job = (timeout?: string) => ({
      provider: { type: 'job' as const },
      job: { spec: { template: {} }, ...(timeout ? { timeout } : {}) },
    });
    const input = rolloutInput(
      {
        strategy: {
          canary: {
            steps: [
              { setWeight: 20 },
              {
                analysis: {
                  metrics: [
                    { name: 'smoke', templateRef: { name: 'smoke' }, thresholdRange: { min: 1 } },
                    { name: 'load', templateRef: { name: 'load' }, thresholdRange: { min: 1 } },
                  ],
                },
              },
              { setWeight: 40 },
            ],
          },
        },
      },
      { metricTemplates: { 'shop/smoke': job(), 'shop/load': job('12m') } },
    );
    const status = await withWorker({ ...fake.activities, runAnalysis }, ({ client, taskQueue, id }) =>
      client.workflow.execute<(i: typeof input) => Promise<RolloutStatus>>('rolloutWorkflow', {
        taskQueue,
        workflowId: id('job-metric'),
        args: [input],
      }),
    );
    expect(status.phase, status.message).toBe('Succeeded');
    const jobRound = seen.find((s) => s.checks.includes('smoke'));
    expect(jobRound).toEqual({
      cluster: 'in-cluster',
      startToCloseMs: 14 * 60_000,
      checks: ['smoke', 'load'],
    });
    // Without job metrics: the 3-minute rolloutCheck, and no cluster.
    const plain = rolloutInput();
    await withWorker({ ...fake.activities, runAnalysis }, ({ client, taskQueue, id }) =>
      client.workflow.execute<(i: typeof plain) => Promise<RolloutStatus>>('rolloutWorkflow', {
        taskQueue,
        workflowId: id('prometheus-metric'),
        args: [plain],
      }),
    );
    expect(seen.find((s) => s.checks.includes('request-success-rate'))).toEqual({
      startToCloseMs: 3 * 60_000,
      checks: ['request-success-rate'],
    });
  });
});
