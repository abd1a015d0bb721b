import { describe, expect, it } from 'vitest';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoStatusQuery, sourcePushedSignal } from '../../workflows/repo-watcher/messages.js';
import { applicationObject, gitFakes } from './fakes/git.js';
import { startWatcher } from './helpers/start-watcher.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

const NAMES = ['web', 'api', 'jobs'];

describe('repository watcher resolves its applications’ sources', () => {
  it('asks once per poll for three applications of one source, and tells each its commit', async () => {
    let source = 'c'.repeat(40);
    const fake = gitFakes({
      head: () => '1'.repeat(40),
      objects: () => NAMES.map(applicationObject),
      source: () => source,
    });
    const outcome = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const repoId = id('repo');
      // Polls are what this test counts; a push to another repository must not move them.
      const handle = await startWatcher({ client, taskQueue }, repoId, { pollInterval: '300ms' });
      const apps = NAMES.map((n) => client.workflow.getHandle(`app/${repoId}/${n}`));
      try {
        const first = await Promise.all(
          apps.map((a) => queryUntil(a, applicationStatusQuery, (s) => s.sourceRevision === source)),
        );
        // Started by one activity (not as children), each with its commit in its input: no notice signal needed.
        const events = (await handle.fetchHistory()).events ?? [];
        const starts = {
          children: events.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).length,
          activities: events.filter(
            (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'startApplications',
          ).length,
        };
        const firstSignals = await Promise.all(
          apps.map(
            async (a) =>
              (await a.fetchHistory()).events?.filter((e) => e.workflowExecutionSignaledEventAttributes)
                .length,
          ),
        );
        const status = await queryUntil(handle, repoStatusQuery, (s) => s.polls >= 5);
        const calls = fake.calls.count('resolveSources');
        const polls = (await handle.query(repoStatusQuery)).polls;
        source = 'd'.repeat(40);
        const moved = await Promise.all(
          apps.map((a) => queryUntil(a, applicationStatusQuery, (s) => s.sourceRevision === source)),
        );
        return { first, status, calls, polls, moved, starts, firstSignals, repoId };
      } finally {
        await handle.terminate('test done');
        for (const a of apps) await a.terminate('test done').catch(() => undefined);
      }
    });
    // Every poll made one call (the one of the poll in flight may not have started yet).
    expect(outcome.calls).toBeGreaterThanOrEqual(outcome.status.polls - 1);
    expect(outcome.calls).toBeLessThanOrEqual(outcome.polls);
    const sources = fake.calls.of('resolveSources');
    for (const call of sources) {
      expect(call.sources).toHaveLength(1);
      expect(call.sources[0]).toMatchObject({
        repoURL: 'http://127.0.0.1:9/web.git',
        targetRevision: 'HEAD',
        apps: NAMES,
      });
    }
    expect(outcome.starts).toEqual({ children: 0, activities: 1 });
    expect(
      fake.calls
        .of('startApplications')[0]
        ?.starts.map((x) => x.workflowId)
        .sort(),
    ).toEqual(NAMES.map((n) => `app/${outcome.repoId}/${n}`).sort());
    expect(outcome.firstSignals).toEqual(NAMES.map(() => 0));
    // No application looked at its source itself.
    expect(fake.calls.count('resolveSourceRevision')).toBe(0);
    expect(outcome.moved.map((s) => s.sourceRevision)).toEqual(NAMES.map(() => 'd'.repeat(40)));
  });

  it('a push to the source repository resolves its sources at once, without a poll; another repository’s push does nothing', async () => {
    let source = 'c'.repeat(40);
    const fake = gitFakes({
      head: () => '1'.repeat(40),
      objects: () => NAMES.map(applicationObject),
      source: () => source,
    });
    const outcome = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const repoId = id('repo');
      const handle = await startWatcher({ client, taskQueue }, repoId, { pollInterval: '1h' });
      const web = client.workflow.getHandle(`app/${repoId}/web`);
      try {
        await queryUntil(web, applicationStatusQuery, (s) => s.sourceRevision === source);
        const callsAfterPoll = fake.calls.count('resolveSources');
        await handle.signal(sourcePushedSignal, { url: 'http://127.0.0.1:9/elsewhere.git' });
        source = 'd'.repeat(40);
        // Spelled without ".git" and with a trailing slash, as a webhook's configured URL may be.
        await handle.signal(sourcePushedSignal, { url: 'http://127.0.0.1:9/web/' });
        const moved = await queryUntil(web, applicationStatusQuery, (s) => s.sourceRevision === source);
        const status = await handle.query(repoStatusQuery);
        return { callsAfterPoll, moved, status };
      } finally {
        await handle.terminate('test done');
        for (const n of NAMES)
          await client.workflow
            .getHandle(`app/${repoId}/${n}`)
            .terminate('test done')
            .catch(() => undefined);
      }
    });
    expect(outcome.callsAfterPoll).toBe(1);
    expect(outcome.status.polls).toBe(1);
    expect(fake.calls.count('resolveSources')).toBe(2);
    expect(fake.calls.count('resolveRepoRevision')).toBe(1);
    expect(outcome.moved.sourceRevision).toBe('d'.repeat(40));
  });
});
