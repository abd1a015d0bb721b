import { describe, expect, it } from 'vitest';
import {
  abortUpdate,
  pauseUpdate,
  promoteUpdate,
  type RolloutStatus,
  resumeUpdate,
  rolloutStatusQuery,
  supersedeSignal,
} from '../../workflows/rollout/messages.js';
import { failedRun } from '../helpers/runs.js';
import { rolloutFakes } from './fakes/rollout.js';
import { rolloutInput } from './helpers/rollout-input.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

/** A canary that goes to 30% and waits there until promoted (or resumed). */
const waitsAt30 = () => rolloutInput({ strategy: { canary: { steps: [{ setWeight: 30 }, { pause: {} }] } } });
const paused = (s: RolloutStatus) => s.phase === 'Paused';

describe('rollout control through its updates and signals', () => {
  it('pause stops the analysis rounds at the current weight; resume carries on to promotion', async () => {
    const fake = rolloutFakes();
    const input = rolloutInput({ strategy: { canary: { stepWeights: [20, 40] } } });
    const result = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('rolloutWorkflow', {
        taskQueue,
        workflowId: id('pause'),
        args: [input],
      });
      await queryUntil(handle, rolloutStatusQuery, (s) => s.canaryWeight === 20);
      const atPause = await handle.executeUpdate(pauseUpdate);
      expect(atPause.phase).toBe('Paused');
      await new Promise((r) => setTimeout(r, 600)); // six analysis intervals
      const later = await handle.query(rolloutStatusQuery);
      expect(later).toMatchObject({ phase: 'Paused', canaryWeight: 20 });
      expect(fake.calls.count('runAnalysis')).toBeLessThanOrEqual(1);
      const resumed = await handle.executeUpdate(resumeUpdate, { args: [{ by: 'alice' }] });
      expect(resumed.phase).toBe('Progressing');
      return handle.result();
    });
    expect(result).toMatchObject({ phase: 'Succeeded', canaryWeight: 0 });
    expect(result.approvals).toMatchObject([{ action: 'resume', by: 'alice', verified: false }]);
    expect(fake.canaryWeights()).toEqual([0, 20, 40, 0]);
  });

  it('promote ends a "pause until promoted" step and promotes at once', async () => {
    const fake = rolloutFakes();
    const result = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('rolloutWorkflow', {
        taskQueue,
        workflowId: id('promote'),
        args: [waitsAt30()],
      });
      await queryUntil(handle, rolloutStatusQuery, paused);
      const answer = await handle.executeUpdate(promoteUpdate, { args: [{ by: 'bob' }] });
      await handle.result(); // the update answers once promoted; the announcement comes after
      return answer;
    });
    expect(result).toMatchObject({ phase: 'Succeeded', canaryWeight: 0 });
    expect(result.approvals).toMatchObject([{ action: 'promote', by: 'bob' }]);
    expect(fake.canaryWeights()).toEqual([0, 30, 0]);
    expect(fake.calls.count('promoteToPrimary')).toBe(1);
    expect(fake.events()).toContain('rollout.promoted');
  });

  it('abort rolls back: traffic to the primary, the canary scaled down, the reason kept', async () => {
    const fake = rolloutFakes();
    const result = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('rolloutWorkflow', {
        taskQueue,
        workflowId: id('abort'),
        args: [waitsAt30()],
      });
      await queryUntil(handle, rolloutStatusQuery, paused);
      const answer = await handle.executeUpdate(abortUpdate, { args: [{ reason: 'latency looks off' }] });
      // The update answers once rolled back; the announcement comes after, then the workflow fails (red).
      const end = await failedRun<RolloutStatus>(handle, 'RolloutAborted');
      expect(end).toMatchObject({ phase: 'Failed', failed: { name: 'abort' } });
      return answer;
    });
    expect(result).toMatchObject({ phase: 'Failed', message: 'rolled back: aborted: latency looks off' });
    expect(fake.canaryWeights()).toEqual([0, 30, 0]);
    expect(fake.canaryScales('web')).toEqual([2, 0]);
    expect(fake.calls.count('promoteToPrimary')).toBe(0);
    expect(fake.alerts()).toContain('rollout.rolledBack');
  });

  it('a newer revision supersedes the rollout: traffic back on the primary, nothing promoted', async () => {
    const fake = rolloutFakes();
    const result = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('rolloutWorkflow', {
        taskQueue,
        workflowId: id('supersede'),
        args: [waitsAt30()],
      });
      await queryUntil(handle, rolloutStatusQuery, paused);
      await handle.signal(supersedeSignal, { revision: 'b'.repeat(40) });
      return handle.result() as Promise<RolloutStatus>;
    });
    expect(result).toMatchObject({ phase: 'Superseded', message: 'superseded by bbbbbbb', canaryWeight: 0 });
    expect(fake.canaryWeights()).toEqual([0, 30, 0]);
    expect(fake.calls.count('promoteToPrimary')).toBe(0);
    expect(fake.events()).not.toContain('rollout.rolledBack');
  });
});
