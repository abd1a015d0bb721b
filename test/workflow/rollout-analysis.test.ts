import { describe, expect, it } from 'vitest';
import type { RolloutStatus } from '../../workflows/rollout/messages.js';
import { failedRun } from '../helpers/runs.js';
import { rolloutFakes } from './fakes/rollout.js';
import { rolloutInput } from './helpers/rollout-input.js';
import { withWorker } from './helpers/test-env.js';

describe('rollout analysis', () => {
  it('rolls back when failed checks reach the threshold: traffic ends at 0% canary, the canary scaled down, an alert sent', async () => {
    // Round 1 at 20% passes; rounds 2 and 3 (at 40%) fail, which is the threshold of 2.
    const fake = rolloutFakes({ verdicts: ['Successful', 'Failed', 'Failed'] });
    const status = await withWorker(fake.activities, async ({ client, taskQueue, id }) =>
      failedRun(
        await client.workflow.start<(i: ReturnType<typeof rolloutInput>) => Promise<RolloutStatus>>(
          'rolloutWorkflow',
          { taskQueue, workflowId: id('rollback'), args: [rolloutInput()] },
        ),
        'RolloutRolledBack',
      ),
    );
    expect(status).toMatchObject({ phase: 'Failed', failedChecks: 2, threshold: 2, canaryWeight: 0 });
    expect(status.failed).toMatchObject({ name: 'request-success-rate', value: 87.5, condition: 'min 99' });
    expect(fake.canaryWeights()).toEqual([0, 20, 40, 0]);
    expect(fake.canaryScales('web')).toEqual([2, 0]);
    expect(fake.calls.count('promoteToPrimary')).toBe(0);
    expect(fake.calls.count('runAnalysis')).toBe(3);
    expect(fake.events()).toContain('rollout.rolledBack');
    expect(fake.alerts()).toContain('rollout.rolledBack');
  });

  it('counts an inconclusive round as a failed check without rolling back below the threshold, and promotes after', async () => {
    // 20%: inconclusive, then passes; 40% and 60% pass. One failed check of two allowed.
    const fake = rolloutFakes({ verdicts: ['Inconclusive', 'Successful'] });
    const status = await withWorker(fake.activities, ({ client, taskQueue, id }) =>
      client.workflow.execute<(i: ReturnType<typeof rolloutInput>) => Promise<RolloutStatus>>(
        'rolloutWorkflow',
        { taskQueue, workflowId: id('inconclusive'), args: [rolloutInput()] },
      ),
    );
    expect(status).toMatchObject({ phase: 'Succeeded', failedChecks: 1, analysisRounds: 4 });
    expect(fake.canaryWeights()).toEqual([0, 20, 40, 60, 0]);
    expect(fake.calls.count('promoteToPrimary')).toBe(1);
    expect(fake.events()).toEqual(
      expect.arrayContaining(['rollout.started', 'rollout.checkFailed', 'rollout.promoted']),
    );
  });

  it('rolls back when inconclusive rounds alone reach the threshold', async () => {
    const fake = rolloutFakes({ verdicts: ['Inconclusive'] });
    const status = await withWorker(fake.activities, async ({ client, taskQueue, id }) =>
      failedRun(
        await client.workflow.start<(i: ReturnType<typeof rolloutInput>) => Promise<RolloutStatus>>(
          'rolloutWorkflow',
          { taskQueue, workflowId: id('inconclusive-threshold'), args: [rolloutInput()] },
        ),
        'RolloutRolledBack',
      ),
    );
    expect(status).toMatchObject({ phase: 'Failed', failedChecks: 2, lastVerdict: 'Inconclusive' });
    expect(fake.canaryWeights()).toEqual([0, 20, 0]);
  });
});
