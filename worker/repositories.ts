import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { RepoSpec } from '../activities/git/repo-spec.js';
import type { SecretStore } from '../activities/secrets/secret-store.js';
import { repoWatcherId } from '../core/workflow-ids.js';
import { repoPushSignal, sourcePushedSignal } from '../workflows/repo-watcher/messages.js';
import { repoWatcherWorkflow } from '../workflows/repo-watcher/workflow.js';
import { SluiceKind } from '../workflows/shared/search-attributes.js';
import type { WebhookTarget } from './webhooks/receiver.js';

/** A repository the worker watches, as its configuration names it. */
export interface RepositoryConfig extends RepoSpec {
  /** Short id used in the watcher's workflow ID (`repo/<id>`) and the webhook URL (/webhooks/git/<id>). */
  id: string;
  pollInterval?: string;
  /** Let a commit with no pipeline objects stop every application (default false). */
  allowEmpty?: boolean;
  /** Secret whose `secret` key verifies push webhooks (HMAC key for GitHub/generic, token for GitLab). */
  webhookSecretRef?: { name: string };
  /** Projects this repository's pipeline files may use (default ["default"]); the administrator binds them. */
  projects: string[];
}

export { repoWatcherId };

/** Starts the watcher of each repository unless it already runs (idempotent across worker restarts). */
export async function startRepoWatchers(
  client: Client,
  taskQueue: string,
  repos: RepositoryConfig[],
  applications: { refreshInterval?: string } = {},
): Promise<void> {
  for (const repo of repos) {
    const { id, pollInterval, allowEmpty, webhookSecretRef: _hook, projects: _projects, ...spec } = repo;
    const appRefreshInterval = applications.refreshInterval;
    await client.workflow.start(repoWatcherWorkflow, {
      taskQueue,
      workflowId: repoWatcherId(id),
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [{ repoId: id, repo: spec, pollInterval, allowEmpty, appRefreshInterval }],
      typedSearchAttributes: [{ key: SluiceKind, value: 'repo-watcher' }],
    });
  }
}

/**
 * Webhook receiver callbacks for the configured repositories: verify with their secret, then signal their
 * watcher to poll, and every watcher to resolve the sources from that repository (its applications may
 * sync from a repository other than the one they are declared in).
 */
export function repoWebhookHandlers(client: Client, repos: RepositoryConfig[], secrets: SecretStore) {
  const byId = new Map(repos.map((r) => [r.id, r]));
  return {
    target(repoId: string): WebhookTarget | undefined {
      const repo = byId.get(repoId);
      if (!repo) return undefined;
      return {
        branch: /^[0-9a-f]{40}$/.test(repo.revision) ? undefined : repo.revision,
        // No webhook secret configured (or an empty one): every webhook for this repository is refused (401).
        secret: async () => {
          if (!repo.webhookSecretRef) return undefined;
          const s = await secrets.resolve({ ...repo.webhookSecretRef, key: 'secret' });
          return typeof s.secret === 'string' ? s.secret : undefined;
        },
        ...(repo.webhookSecretRef
          ? { secretSource: `secret "${repo.webhookSecretRef.name}", key "secret"` }
          : {}),
      };
    },
    async onPush(repoId: string): Promise<void> {
      await client.workflow.getHandle(repoWatcherId(repoId)).signal(repoPushSignal);
      const url = byId.get(repoId)?.url;
      if (url === undefined) return;
      // Its own watcher's poll resolves every source; a watcher not running (yet) does when it starts.
      await Promise.all(
        repos
          .filter((r) => r.id !== repoId)
          .map((r) =>
            client.workflow
              .getHandle(repoWatcherId(r.id))
              .signal(sourcePushedSignal, { url })
              .catch(() => undefined),
          ),
      );
    },
  };
}
