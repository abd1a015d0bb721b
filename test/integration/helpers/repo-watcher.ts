import type { Client } from '@temporalio/client';
import { startRepoWatchers } from '../../../worker/repositories.js';

/**
 * Starts the repository watcher of `repoId` as the worker does, on `main` of `url`, reading the pipeline
 * files under `path` and polling every 2 s.
 */
export async function startRepoWatcher(
  env: { client: Client; taskQueue: string },
  repoId: string,
  url: string,
  path = 'pipelines',
): Promise<void> {
  await startRepoWatchers(env.client, env.taskQueue, [
    { id: repoId, url, revision: 'main', path, pollInterval: '2s', projects: ['default'] },
  ]);
}
