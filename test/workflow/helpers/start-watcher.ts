import type { RepoWatchInput } from '../../../workflows/repo-watcher/messages.js';
import type { WorkflowTestContext } from './test-env.js';

/** Starts a repository watcher of `repoId` on the test's queue, over a repository only the git fakes serve. */
export function startWatcher(
  { client, taskQueue }: Pick<WorkflowTestContext, 'client' | 'taskQueue'>,
  repoId: string,
  options: Partial<Omit<RepoWatchInput, 'repoId' | 'repo'>> = {},
) {
  return client.workflow.start('repoWatcherWorkflow', {
    taskQueue,
    workflowId: `repo/${repoId}`,
    args: [
      {
        repoId,
        repo: { url: 'http://127.0.0.1:9/pipelines.git', revision: 'main', path: '' },
        pollInterval: '100ms',
        ...options,
      },
    ],
  });
}
