import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, pipelineTriggerId, repoWatcherId } from '../../core/workflow-ids.js';
import { type ApplicationStatus, applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { applicationYaml, misspelledApplicationYaml, pipelineYaml } from './helpers/pipeline-yaml.js';
import { recordHistory } from './helpers/record-history.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

const POLL_MS = 4000;

describe('repository watcher (polling)', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const repo = servedRepo('watch');
  const repoId = `test-watch-${suffix}`;
  const watcherId = repoWatcherId(repoId);
  const appId = (name: string) => applicationWorkflowId(repoId, name);
  const appStatus = (name: string) => w.client.workflow.getHandle(appId(name)).query(applicationStatusQuery);
  const watcher = () => w.client.workflow.getHandle(watcherId);
  let firstRunId = '';

  beforeAll(async () => {
    // The administrator defines the team's Project and binds the repository to it.
    w = await startTestWorker('watch', {
      trust: {
        ...openTestTrust,
        projects: [
          ...(openTestTrust.projects ?? []),
          { name: `team-${suffix}`, sourceRepos: ['*'], destinations: [] },
        ],
        repositories: [{ id: repoId, url: repo.url, projects: [`team-${suffix}`] }],
      },
    });
  });
  afterAll(async () => {
    await watcher()
      .terminate('test done')
      .catch(() => {});
    await w.client.workflow
      .getHandle(pipelineTriggerId(repoId, `promote-${suffix}`))
      .terminate('test done')
      .catch(() => {});
    for (const name of ['web', 'api'])
      await w.client.workflow
        .getHandle(appId(name))
        .terminate('test done')
        .catch(() => {});
    await w.stop();
  });

  it('starts one application workflow per Application of the first commit', async () => {
    const sha1 = repo.commit(
      {
        'apps/web.yaml': applicationYaml('web', { project: `team-${suffix}` }),
        'apps/promote.yaml': pipelineYaml(`promote-${suffix}`),
      },
      'add web',
    );
    const handle = await w.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: watcherId,
      args: [
        {
          repoId,
          repo: { url: repo.url, revision: 'main', path: 'apps' },
          pollInterval: `${POLL_MS}ms`,
          maxPollsPerRun: 3,
        },
      ],
    });
    firstRunId = handle.firstExecutionRunId;
    const status = await waitFor('web to run at sha1', async () => {
      const s = await appStatus('web');
      return s.revision === sha1 && s;
    });
    expect(status).toMatchObject<Partial<ApplicationStatus>>({
      name: 'web',
      project: `team-${suffix}`,
      source: 'apps/web.yaml:1',
      phase: 'Watching',
    });
    // Each Pipeline gets its trigger workflow, which waits for its trigger (manual here). The watcher
    // starts applications before it syncs Pipeline triggers, so wait for it to finish the commit.
    const pipelines = await waitFor('the watcher to list the Pipeline', async () => {
      const p = (await watcher().query(repoStatusQuery)).pipelines;
      return p && p.length > 0 && p;
    });
    expect(pipelines).toEqual([{ name: `promote-${suffix}`, status: 'watching' }]);
    const trigger = await w.client.workflow
      .getHandle(pipelineTriggerId(repoId, `promote-${suffix}`))
      .describe();
    expect(trigger.status.name).toBe('RUNNING');
  });

  it('picks up a pushed commit within one poll interval', async () => {
    const pushedAt = Date.now();
    const sha2 = repo.commit(
      { 'apps/api.yaml': applicationYaml('api', { project: `team-${suffix}` }) },
      'add api',
    );
    await waitFor('api to start', async () => (await appStatus('api')).revision === sha2, 3 * POLL_MS, 50);
    const elapsed = Date.now() - pushedAt;
    // One interval with its +10% jitter, plus time to fetch, validate and start the workflow.
    expect(elapsed).toBeLessThan(POLL_MS * 1.1 + 2500);
    // web's spec did not change but its revision did: it was handed the new commit.
    await waitFor('web at sha2', async () => (await appStatus('web')).revision === sha2);
  });

  it('reports an invalid commit with file:line:col and leaves the running applications alone', async () => {
    const before = await watcher().query(repoStatusQuery);
    const bad = repo.commit({ 'apps/api.yaml': misspelledApplicationYaml('api', `team-${suffix}`) }, 'typo');
    const status = await waitFor('the invalid commit to be seen', async () => {
      const s = await watcher().query(repoStatusQuery);
      return s.invalid?.sha === bad && s;
    });
    expect(status.lastValidSha).toBe(before.lastValidSha);
    expect(status.invalid?.errors).toContain(
      'apps/api.yaml:11:3: spec.destinaton: unknown field (did you mean "destination"?)',
    );
    expect(Object.keys(status.apps).sort()).toEqual([appId('api'), appId('web')]);
    expect((await appStatus('api')).revision).toBe(before.lastValidSha);
    expect((await w.client.workflow.getHandle(appId('api')).describe()).status.name).toBe('RUNNING');
  });

  it('stops the application workflow of an Application removed from Git, across continue-as-new', async () => {
    const sha = repo.commit({ 'apps/api.yaml': null }, 'remove api');
    const result = await waitFor('api to stop', async () => {
      const d = await w.client.workflow.getHandle(appId('api')).describe();
      return d.status.name === 'COMPLETED' && d;
    });
    expect(result.status.name).toBe('COMPLETED');
    const status = await watcher().query(repoStatusQuery);
    expect(status.lastValidSha).toBe(sha);
    expect(status.invalid).toBeUndefined();
    expect(Object.keys(status.apps)).toEqual([appId('web')]);
    // maxPollsPerRun is 3, so by now the watcher has continued-as-new and kept its state.
    const runs = await waitFor('a continued run', async () => {
      const d = await watcher().describe();
      return d.runId !== firstRunId && d;
    });
    expect(runs.status.name).toBe('RUNNING');
    // For the replay test: the first run, which ended in continue-as-new, and the run after it (running).
    await recordHistory(w.client, watcherId, 'repo-watcher-before-continue-as-new', { runId: firstRunId });
    await recordHistory(w.client, watcherId, 'repo-watcher-after-continue-as-new', { runId: runs.runId });
  });

  it('refuses a commit that empties the folder: running applications are not stopped', async () => {
    const before = await watcher().query(repoStatusQuery);
    const empty = repo.commit({ 'apps/web.yaml': null, 'apps/promote.yaml': null }, 'oops, moved everything');
    const status = await waitFor('the empty commit to be refused', async () => {
      const s = await watcher().query(repoStatusQuery);
      return s.invalid?.sha === empty && s;
    });
    expect(status.invalid?.errors).toEqual([
      `apps: no pipeline objects at ${empty.slice(0, 7)}; refusing to stop 1 running application(s) (set allowEmpty on the repository to allow this)`,
    ]);
    expect(status.lastValidSha).toBe(before.lastValidSha);
    expect((await w.client.workflow.getHandle(appId('web')).describe()).status.name).toBe('RUNNING');
  });

  it('gives a clear error for a repository that cannot be reached, and keeps watching', async () => {
    const id = `repo/test-unreachable-${suffix}`;
    await w.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: id,
      args: [
        {
          repoId: 'unreachable',
          repo: { url: 'http://127.0.0.1:9/nothing.git', revision: 'main', path: '.' },
          pollInterval: '1m',
        },
      ],
    });
    const s = await waitFor(
      'the error',
      async () => (await w.client.workflow.getHandle(id).query(repoStatusQuery)).lastError,
      60_000,
      500,
    );
    expect(s).toMatch(/ECONNREFUSED|connect/);
    await w.client.workflow.getHandle(id).terminate('test done');
    await expect(w.client.workflow.getHandle(`app/none-${suffix}/x`).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });
});
