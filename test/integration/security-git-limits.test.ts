// Issue 12, finding 7 (Git bombs), written as the attack: a pipeline-file author pushes a commit that
// is small on the wire and huge once inflated or checked out. The worker must refuse it by its Git
// limits (defaults here) before it costs memory or disk, and the watcher must keep the last valid set.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineCommit } from '../../activities/git/pipeline-commit.js';
import { createActivities } from '../../activities/index.js';
import { nonRetryableErrorTypes } from '../../core/errors.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { repoPushSignal, repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { commitGenerated, commitTree, fanoutTree, gitIn } from '../fixtures/git-bombs.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { applicationYaml } from './helpers/pipeline-yaml.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

const MiB = 1024 * 1024;
/**
 * How much the worker's memory may grow while it refuses the bomb. Refusing costs a few MiB (the pack
 * is read up to the big blob's header); the old code inflated the 200 MiB blob and grew by over 1 GiB.
 * The rest of the margin is for what the worker does meanwhile (workflow tasks, other polls).
 */
const RSS_GROWTH_BOUND = 150 * MiB;

/** The highest RSS of this process (the worker runs in it) until stop() is called. */
function rssPeak() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

describe('Git bombs are refused by the Git limits', () => {
  const suffix = Date.now().toString(36);
  let w: Awaited<ReturnType<typeof startTestWorker>>;

  beforeAll(async () => {
    w = await startTestWorker('git-limits', { trust: openTestTrust }); // default Git limits
  });
  afterAll(async () => {
    const watcher = w?.client.workflow.getHandle(`repo/git-bomb-${suffix}`);
    const apps = await watcher
      ?.query(repoStatusQuery)
      .then((s) => Object.keys(s.apps))
      .catch(() => []);
    for (const id of [...(apps ?? []), `repo/git-bomb-${suffix}`])
      await w.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    await w?.stop();
  });

  it('reports a commit adding a 200 MiB blob as invalid, keeps the last valid set, and stays small', async () => {
    const repo = servedRepo('git-bomb');
    const app = `bombed-${suffix}`;
    const sha1 = repo.commit({ 'apps/app.yaml': applicationYaml(app) }, 'a valid pipeline file');
    const watcher = await w.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: `repo/git-bomb-${suffix}`,
      args: [
        {
          repoId: `git-bomb-${suffix}`,
          repo: { url: repo.url, revision: 'main', path: 'apps' },
          pollInterval: '1m', // woken by the push signal below
        },
      ],
    });
    const valid = await waitFor('the first commit to be valid', async () => {
      const s = await watcher.query(repoStatusQuery);
      return s.lastValidSha === sha1 && s;
    });
    expect(Object.values(valid.apps).map((a) => a.name)).toEqual([app]);

    // 200 MiB of zeros, about 200 KiB in the pack the server sends, committed straight into the served
    // repository (a push would only take longer). bigFileThreshold spares the server a delta search over
    // the blob, which takes seconds; the pack is the same.
    const bare = repo.git('remote', 'get-url', 'origin');
    const served = gitIn(bare);
    served(['config', 'core.bigFileThreshold', '1m']);
    const sha2 = commitGenerated(served, bare, 'apps', 'zeros.bin', 'head -c 209715200 /dev/zero');

    const rssBefore = process.memoryUsage().rss;
    const sampler = rssPeak();
    const started = Date.now();
    await watcher.signal(repoPushSignal);
    const seen = await waitFor(
      'the watcher to look at the commit',
      async () => {
        const s = await watcher.query(repoStatusQuery);
        return s.lastSeenSha === sha2 && s;
      },
      120_000,
      50,
    );
    const growth = sampler.stop() - rssBefore;
    const elapsed = Date.now() - started;
    console.log(`commit looked at in ${elapsed} ms; RSS grew by ${(growth / MiB).toFixed(1)} MiB`);
    expect(seen.invalid?.sha).toBe(sha2);
    expect(seen.invalid?.errors).toHaveLength(1);
    expect(seen.invalid?.errors[0]).toMatch(
      new RegExp(
        `^${repo.url.replace(/[.]/g, '\\.')} at ${sha2}: blob #\\d+ of \\d+ in the pack is 200 MiB, over the limit of 16 MiB \\(git\\.maxObjectBytes in the worker config\\)$`,
      ),
    );
    expect(seen.lastValidSha).toBe(sha1);
    expect(Object.values(seen.apps).map((a) => a.name)).toEqual([app]);
    expect(growth).toBeLessThan(RSS_GROWTH_BOUND);
  });

  it('refuses a tree that checks out to a million files during a sync, quickly, leaving no partial tree', async () => {
    const repo = servedRepo('git-fanout');
    const git = gitIn(repo.work);
    // 32 names for one subtree, four levels down: 1,048,576 files from six objects of a few KiB.
    const sha = commitTree(git, 'deploy', fanoutTree(git, 32, 4, 'kind: ConfigMap\n'));
    git(['push', '-q', 'origin', 'main']);
    const cacheDir = mkdtempSync(join(tmpdir(), `sluice-git-fanout-${suffix}-`));
    const activities = createActivities(
      buildActivityDeps({
        kubeconfigPath: stackPaths(loadStackConfig()).kubeconfig,
        cacheDir,
        trust: openTestTrust,
      }),
    );
    const env = new MockActivityEnvironment();

    const started = Date.now();
    const err = await env
      .run(activities.renderApp, {
        request: { appName: 'fanout', namespace: 'fanout', repoURL: repo.url, revision: sha, path: 'deploy' },
        cluster: 'in-cluster',
        owner: { repoId: `git-fanout-${suffix}`, project: 'default', app: 'fanout' },
      })
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    // A GitLimitError, which Temporal types by its name: not retried.
    expect((err as Error).name).toBe('GitLimitError');
    expect(nonRetryableErrorTypes).toContain('GitLimitError');
    expect((err as Error).message).toMatch(
      new RegExp(
        `^${repo.url.replace(/[.]/g, '\\.')} at ${sha}: the tree has more files and folders than that \\(stopped at deploy/.+\\), over the limit of 50,000 \\(git\\.maxFiles in the worker config\\)$`,
      ),
    );
    expect(elapsed).toBeLessThan(15_000);
    const trees = join(cacheDir, 'git', 'trees');
    expect(existsSync(trees) ? readdirSync(trees) : []).toEqual([]);

    // The same commit watched: an invalid commit naming the limit, not a failed activity.
    const commit: PipelineCommit = await env.run(activities.loadPipelineCommit, {
      repoId: `git-fanout-${suffix}`,
      repo: { url: repo.url, revision: 'main', path: 'deploy' },
      sha,
    });
    expect(commit.objects).toEqual([]);
    expect(commit.errors).toEqual([(err as Error).message]);

    // A Pipeline's git-update step clones the same branch: refused too, before its working tree is written.
    const update = await env
      .run(activities.stepGitUpdate, {
        caller: { repoId: `git-fanout-${suffix}`, project: 'default' },
        pipeline: 'bump',
        run: '1',
        workflowId: `pipeline/git-fanout-${suffix}/bump/1`,
        step: 'bump',
        inputs: { repoURL: repo.url, file: 'deploy/app.yaml', field: 'data.x', value: 'y' },
        trigger: { kind: 'manual' as const },
      })
      .catch((e: unknown) => e);
    expect((update as Error).name).toBe('GitLimitError');
    expect((update as Error).message).toContain('(git.maxFiles in the worker config)');
    rmSync(cacheDir, { recursive: true, force: true });
  });
});
