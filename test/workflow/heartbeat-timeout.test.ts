import { Context } from '@temporalio/activity';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_TIMEOUT, syncStep } from '../../workflows/activity-options.js';
import { type ApplicationStatus, applicationStatusQuery } from '../../workflows/application/messages.js';
import { syncFakes } from './fakes/sync.js';
import { applicationInput, sha } from './helpers/application-input.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

const { TimeoutType } = temporal.api.enums.v1;

// Issue 14, "no stalled steps": an apply whose worker goes silent (died, or the task was lost under load)
// is retried once the heartbeat timeout (30 s) passes, not after the sync step's start-to-close (5 min).
// This test takes about 30 s: the workflow tests run on a real server, which has no time skipping.
describe('a lost long activity', () => {
  it('an apply that stops heartbeating times out on its heartbeat and is retried within seconds', async () => {
    const starts: number[] = [];
    const fake = syncFakes({
      head: () => sha('1'),
      apply: async (input) => {
        starts.push(Date.now());
        if (starts.length === 1) {
          // The first attempt beats once, then goes silent as a dead worker would, until shutdown cancels it.
          const ctx = Context.current();
          ctx.heartbeat('applying');
          await new Promise((_, reject) =>
            ctx.cancellationSignal.addEventListener('abort', () => reject(new Error('cancelled'))),
          );
        }
        return { applied: input.refs.map((ref) => ({ ref, status: 'Synced' as const, changed: true })) };
      },
    });
    const { status, timeouts } = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('applicationWorkflow', {
        taskQueue,
        workflowId: id('app-heartbeat'),
        args: [applicationInput()],
      });
      try {
        const status = await queryUntil(
          handle,
          applicationStatusQuery,
          (s: ApplicationStatus) => s.syncedRevision === sha('1') && s.phase === 'Watching',
          55_000,
        );
        // The sync child's history: a retried activity starts once, as its last attempt, naming why the
        // one before ended (attempts before the last are not events of their own).
        const timeouts: unknown[] = [];
        const query = `WorkflowType = 'syncWorkflow' AND TaskQueue = '${taskQueue}'`;
        for await (const wf of client.workflow.list({ query })) {
          const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
          for (const e of history.events ?? []) {
            const started = e.activityTaskStartedEventAttributes;
            if (started?.lastFailure) timeouts.push(started.lastFailure.timeoutFailureInfo?.timeoutType);
          }
        }
        return { status, timeouts };
      } finally {
        await handle.terminate('test done');
      }
    });
    expect(status.lastSync).toMatchObject({ phase: 'Succeeded' });
    expect(starts.length).toBeGreaterThanOrEqual(2);
    const retriedAfterMs = (starts[1] as number) - (starts[0] as number);
    expect(HEARTBEAT_TIMEOUT).toBe('30 seconds');
    expect(syncStep.startToCloseTimeout).toBe('5 minutes');
    // Heartbeat timeout (30 s) plus the first retry's backoff (1 s) and a little scheduling slack.
    expect(retriedAfterMs).toBeGreaterThanOrEqual(29_000);
    expect(retriedAfterMs).toBeLessThan(45_000);
    expect(timeouts).toEqual([TimeoutType.TIMEOUT_TYPE_HEARTBEAT]);
  });
});
