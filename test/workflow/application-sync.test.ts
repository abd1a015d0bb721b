import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  type ApplicationStatus,
  applicationStatusQuery,
  historyQuery,
  refreshSignal,
  rollbackUpdate,
} from '../../workflows/application/messages.js';
import { failing } from './fakes/recorder.js';
import { syncFakes } from './fakes/sync.js';
import { applicationInput, sha } from './helpers/application-input.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

const synced = (revision: string) => (s: ApplicationStatus) =>
  s.syncedRevision === revision && s.phase === 'Watching';

describe('application syncs', () => {
  it('a sync retries an apply that fails twice (API server hiccups) and succeeds', async () => {
    const apply = failing(
      2,
      () => new Error('connect ECONNREFUSED 127.0.0.1:6443'),
      async () => ({ applied: [] }),
    );
    const fake = syncFakes({ head: () => sha('1'), apply });
    const status = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('applicationWorkflow', {
        taskQueue,
        workflowId: id('app-retry'),
        args: [applicationInput()],
      });
      try {
        return await queryUntil(handle, applicationStatusQuery, synced(sha('1')));
      } finally {
        await handle.terminate('test done');
      }
    });
    expect(status).toMatchObject({ syncStatus: 'Synced', health: 'Healthy' });
    expect(status.lastSync).toMatchObject({ id: 1, phase: 'Succeeded' });
    // A one-wave render without hooks is rendered and applied in one activity: its attempts are the apply's.
    expect(fake.calls.count('renderAndApply')).toBe(3);
  });

  it('a sync whose objects are Healthy right after the apply needs no wait step; one still Progressing waits', async () => {
    const run = async (healthAtApply: 'Healthy' | 'Progressing') => {
      const fake = syncFakes({ head: () => sha('1'), healthAtApply });
      const status = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
        const handle = await client.workflow.start('applicationWorkflow', {
          taskQueue,
          workflowId: id(`app-${healthAtApply}`),
          args: [applicationInput()],
        });
        try {
          return await queryUntil(handle, applicationStatusQuery, synced(sha('1')));
        } finally {
          await handle.terminate('test done');
        }
      });
      return { status, waits: fake.calls.count('waitResourcesHealthy') };
    };
    const healthy = await run('Healthy');
    expect(healthy.status).toMatchObject({ syncStatus: 'Synced', health: 'Healthy' });
    expect(healthy.status.lastSync).toMatchObject({ phase: 'Succeeded', health: 'Healthy' });
    expect(healthy.waits).toBe(0);
    const progressing = await run('Progressing');
    expect(progressing.status.lastSync).toMatchObject({ phase: 'Succeeded', health: 'Healthy' });
    expect(progressing.waits).toBe(1);
  });

  it('automated sync retries a failed sync with the spec backoff, up to its limit, then waits for a change', async () => {
    const fake = syncFakes({
      head: () => sha('1'),
      apply: async () => {
        throw ApplicationFailure.nonRetryable('admission webhook denied the request', 'Forbidden');
      },
    });
    const retry = { limit: 2, backoff: { duration: '100ms', factor: 2, maxDuration: '1s' } };
    const history = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('applicationWorkflow', {
        taskQueue,
        workflowId: id('app-backoff'),
        args: [applicationInput({ retry })],
      });
      try {
        await queryUntil(handle, historyQuery, (h) => h.length >= 3);
        await new Promise((r) => setTimeout(r, 800)); // well past the next backoff (400 ms)
        // Each failed sync failed its own workflow (red in the UI); the application took its result from the failure.
        const children = (await handle.fetchHistory()).events?.flatMap((e) =>
          e.childWorkflowExecutionFailedEventAttributes
            ? [e.childWorkflowExecutionFailedEventAttributes]
            : [],
        );
        expect(children?.map((c) => c.failure?.applicationFailureInfo?.type)).toEqual([
          'SyncFailed',
          'SyncFailed',
          'SyncFailed',
        ]);
        return await handle.query(historyQuery);
      } finally {
        await handle.terminate('test done');
      }
    });
    // The first sync and two retries (100 ms, then 200 ms later), each failed; then no more.
    expect(history.map((h) => [h.id, h.phase])).toEqual([
      [1, 'Failed'],
      [2, 'Failed'],
      [3, 'Failed'],
    ]);
    expect(history[0]?.message).toContain('admission webhook denied the request');
    const gaps = history.slice(1).map((h, i) => h.startedAt - (history[i]?.finishedAt ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
  });

  it('a rollback holds automated sync on the rolled-back commit until a newer commit arrives', async () => {
    let head = sha('1');
    const fake = syncFakes({ head: () => head });
    const result = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('applicationWorkflow', {
        taskQueue,
        workflowId: id('app-hold'),
        args: [applicationInput()],
      });
      try {
        await queryUntil(handle, applicationStatusQuery, synced(sha('1')));
        head = sha('2');
        await handle.signal(refreshSignal);
        await queryUntil(handle, applicationStatusQuery, synced(sha('2')));

        const rolledBack = await handle.executeUpdate(rollbackUpdate, { args: [{ id: 1 }] });
        expect(rolledBack).toMatchObject({ id: 3, revision: sha('1'), phase: 'Succeeded' });
        const held = await handle.query(applicationStatusQuery);
        expect(held).toMatchObject({ heldAt: sha('2'), syncedRevision: sha('1') });

        // Refreshes see commit 2 again: held, no sync.
        const before = fake.refreshes();
        await handle.signal(refreshSignal);
        await queryUntil(handle, applicationStatusQuery, () => fake.refreshes() > before);
        await handle.signal(refreshSignal);
        const stillHeld = await queryUntil(
          handle,
          applicationStatusQuery,
          () => fake.refreshes() > before + 1,
        );
        expect(stillHeld).toMatchObject({
          heldAt: sha('2'),
          syncedRevision: sha('1'),
          syncStatus: 'OutOfSync',
        });

        // A newer commit releases the hold.
        head = sha('3');
        await handle.signal(refreshSignal);
        const released = await queryUntil(handle, applicationStatusQuery, synced(sha('3')));
        return { released, history: await handle.query(historyQuery) };
      } finally {
        await handle.terminate('test done');
      }
    });
    expect(result.released.heldAt).toBeUndefined();
    expect(result.history.map((h) => [h.id, h.revision.slice(0, 1)])).toEqual([
      [1, '1'],
      [2, '2'],
      [3, '1'],
      [4, '3'],
    ]);
  });
});
