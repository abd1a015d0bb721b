// The repository watcher's state and what it does on each poll, as Temporal's safe-message-handlers
// sample keeps a workflow's state in a class its handlers call.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  startChild,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import type { PipelineCommit } from '../../activities/git/pipeline-commit.js';
import { pipelineInvalid } from '../../core/events/kinds.js';
import { activities, bookkeeping, gitFetch } from '../activity-options.js';
import { Announcements } from '../application/alerts.js';
import {
  applicationStopSignal,
  applicationUpdateSignal,
  type DesiredApplication,
} from '../application/messages.js';
import { applicationWorkflow } from '../application/workflow.js';
import { syncPipelineTriggers } from '../pipeline/watch.js';
import { newAlertState } from '../shared/alerts.js';
import { failureMessage } from '../shared/failure-message.js';
import { SluiceApp, SluiceKind, SluiceRevision } from '../shared/search-attributes.js';
import { stableHash } from '../shared/stable-hash.js';
import { desiredApplications, repoAlertRoutes } from './desired.js';
import type { AppRecord, RepoWatchInput, RepoWatchStatus, WatcherState } from './messages.js';

const git = activities(gitFetch);
const events = activities(bookkeeping);

/** One repository's watcher: what it remembers, and the push signal that wakes it. */
export class RepoWatcher {
  readonly state: WatcherState;
  readonly alerts = new Announcements();
  pushed = false;

  constructor(private readonly input: RepoWatchInput) {
    this.state = input.state ?? { apps: {}, pipelines: [], polls: 0, webhooks: 0 };
  }

  /** The push signal: look now instead of at the next poll. */
  onPush(): void {
    this.pushed = true;
    this.state.webhooks++;
  }

  /** The status query's answer. */
  status(): RepoWatchStatus {
    const { input } = this;
    return {
      repoId: input.repoId,
      url: input.repo.url,
      revision: input.repo.revision,
      path: input.repo.path,
      ...this.state,
    };
  }

  /** One poll: resolves the branch, loads a new commit; an unreachable repository is announced once. */
  async poll(): Promise<void> {
    const { input, state } = this;
    this.pushed = false;
    state.polls++;
    try {
      const { sha } = await git.resolveRepoRevision(input.repo);
      if (sha !== state.lastSeenSha)
        await this.onNewCommit(await git.loadPipelineCommit({ repoId: input.repoId, repo: input.repo, sha }));
      state.lastError = undefined;
    } catch (err) {
      const message = failureMessage(err);
      if (message !== state.lastError) {
        await events.emitEvent({
          type: 'repository.unreachable',
          severity: 'error',
          subject: input.repoId,
          message,
          workflowId: workflowInfo().workflowId,
        });
      }
      state.lastError = message;
    }
  }

  /** Starts, updates or stops one application per Application of a valid commit. */
  private async onNewCommit(commit: PipelineCommit): Promise<void> {
    const { input, state } = this;
    state.lastSeenSha = commit.sha;
    if (commit.errors.length > 0) return this.reportInvalid(commit);
    const running = Object.keys(state.apps).length;
    if (commit.objects.length === 0 && running > 0 && !input.allowEmpty) {
      // A wrong path or a botched move looks exactly like "delete everything": refuse it, as Argo CD's
      // allowEmpty does, unless the repository opts in.
      const error = `${input.repo.path || '.'}: no pipeline objects at ${commit.sha.slice(0, 7)}; refusing to stop ${running} running application(s) (set allowEmpty on the repository to allow this)`;
      return this.reportInvalid({ ...commit, errors: [error] });
    }
    state.invalid = undefined;
    const desired = desiredApplications(commit, input.repoId);
    for (const [id, app] of desired) {
      const record: AppRecord = {
        name: app.name,
        project: app.project,
        revision: app.revision,
        specHash: stableHash(app.spec),
      };
      const known = state.apps[id];
      if (!known) await startApplication(id, app);
      else if (known.revision !== record.revision || known.specHash !== record.specHash) {
        await getExternalWorkflowHandle(id).signal(applicationUpdateSignal, app);
      }
      state.apps[id] = record;
    }
    for (const id of Object.keys(state.apps)) {
      if (desired.has(id)) continue;
      await getExternalWorkflowHandle(id)
        .signal(applicationStopSignal, {
          reason: `removed from ${input.repo.url} at ${commit.sha.slice(0, 7)}`,
        })
        .catch((err: unknown) => log.warn('application already gone', { id, error: failureMessage(err) }));
      delete state.apps[id];
    }
    state.pipelineTriggers = await syncPipelineTriggers({
      repoId: input.repoId,
      repoUrl: input.repo.url,
      commit,
      previousSha: state.lastValidSha,
      records: state.pipelineTriggers ?? {},
    });
    state.pipelines = Object.values(state.pipelineTriggers).map((p) => ({
      name: p.name,
      status: 'watching',
    }));
    state.alertRoutes = repoAlertRoutes(commit, desired.values());
    state.lastValidSha = commit.sha;
  }

  /** Records an invalid commit and alerts; the applications of the last valid commit stay as they are. */
  private async reportInvalid(commit: PipelineCommit): Promise<void> {
    const { input, state } = this;
    state.invalid = { sha: commit.sha, errors: commit.errors };
    log.warn('invalid pipeline commit; keeping the last valid set', {
      sha: commit.sha,
      errors: commit.errors.length,
    });
    const event = pipelineInvalid(
      { subject: input.repoId, revision: commit.sha, workflowId: workflowInfo().workflowId },
      commit.errors,
    );
    await events.emitEvent(event);
    // Once per commit (the watcher looks at each commit once), to whoever hears about the applications;
    // in the background, so a provider that keeps failing does not hold up polling.
    state.alerts ??= newAlertState();
    this.alerts.send(state.alerts, state.alertRoutes ?? [], event);
  }
}

/** Starts an application workflow, or hands a running one (an earlier watcher's) the new desired state. */
async function startApplication(id: string, app: DesiredApplication): Promise<void> {
  try {
    await startChild(applicationWorkflow, {
      workflowId: id,
      args: [{ desired: app }],
      // Applications outlive any one run of the watcher (it continues-as-new) and the watcher itself.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [
        { key: SluiceApp, value: app.name },
        { key: SluiceKind, value: 'application' },
        { key: SluiceRevision, value: app.revision },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    // Already running (started by an earlier watcher): hand it the new desired state instead.
    await getExternalWorkflowHandle(id).signal(applicationUpdateSignal, app);
  }
}
