import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { type RolloutStatus, rolloutStatusQuery } from '../../workflows/rollout/messages.js';
import { rolloutFakes } from './fakes/rollout.js';
import { rolloutInput } from './helpers/rollout-input.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

describe('cancelling a rollout (Request Cancellation in the Temporal UI)', () => {
  it('routes all traffic back to the primary, scales the canary down, alerts, and ends Cancelled', async () => {
    const fake = rolloutFakes();
    const input = rolloutInput({ strategy: { canary: { steps: [{ setWeight: 30 }, { pause: {} }] } } });
    const error = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('rolloutWorkflow', {
        taskQueue,
        workflowId: id('cancel'),
        args: [input],
      });
      await queryUntil(handle, rolloutStatusQuery, (s: RolloutStatus) => s.phase === 'Paused');
      expect(fake.canaryWeights().at(-1)).toBe(30);
      await handle.cancel();
      return handle.result().then(
        () => undefined,
        (err: unknown) => err,
      );
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(fake.canaryWeights()).toEqual([0, 30, 0]);
    expect(fake.canaryScales('web')).toEqual([2, 0]);
    expect(fake.events()).toContain('rollout.rolledBack');
    expect(fake.alerts()).toContain('rollout.rolledBack');
  });
});
