import { describe, expect, it } from 'vitest';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { applicationObject, gitFakes } from './fakes/git.js';
import { startWatcher } from './helpers/start-watcher.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

describe('repository watcher', () => {
  it('continues as new every few polls and carries its state: commits seen, applications started', async () => {
    let head = '1'.repeat(40);
    const fake = gitFakes({
      head: () => head,
      objects: (sha) => [
        applicationObject('web'),
        ...(sha.startsWith('2') ? [applicationObject('api')] : []),
      ],
    });
    const outcome = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const repoId = id('repo');
      const handle = await startWatcher({ client, taskQueue }, repoId, { maxPollsPerRun: 3 });
      const appId = `app/${repoId}/web`;
      try {
        const firstRun = (await handle.describe()).runId;
        // Three polls per run: by poll 8 the watcher has continued as new twice.
        await queryUntil(handle, repoStatusQuery, (s) => s.polls >= 8);
        const laterRun = (await handle.describe()).runId;
        head = '2'.repeat(40);
        const status = await queryUntil(handle, repoStatusQuery, (s) => s.lastValidSha === head);
        // The watcher records the commit when it has signalled the app; the app takes the signal after.
        const web = await queryUntil(
          client.workflow.getHandle(appId),
          applicationStatusQuery,
          (s) => s.revision === head,
        );
        return { firstRun, laterRun, status, web };
      } finally {
        await handle.terminate('test done');
        for (const app of ['web', 'api'])
          await client.workflow
            .getHandle(`app/${repoId}/${app}`)
            .terminate('test done')
            .catch(() => undefined);
      }
    });
    expect(outcome.laterRun).not.toBe(outcome.firstRun);
    // Commit 1 was loaded once, in the first run: the later runs knew they had seen it.
    expect(fake.calls.of('loadPipelineCommit').map((c) => c.sha[0])).toEqual(['1', '2']);
    expect(Object.values(outcome.status.apps).map((a) => a.name)).toEqual(['web', 'api']);
    // Poll 8 may already see commit 2 (the head moved while it ran): two continue-as-new either way.
    expect(outcome.status.polls).toBeGreaterThanOrEqual(8);
    // `web` was started by the first run and, in a later run, told about commit 2 once.
    expect(outcome.web).toMatchObject({ name: 'web', updates: 1, revision: '2'.repeat(40) });
  });
});
