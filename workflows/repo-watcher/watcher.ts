import { getExternalWorkflowHandle, log, patched, workflowInfo } from '@temporalio/workflow';
import type { PipelineCommit } from '../../activities/git/pipeline-commit.js';
import type { SourceAnswer } from '../../activities/sync/resolve-sources.js';
import { pipelineInvalid } from '../../core/events/kinds.js';
import { activities, bookkeeping, gitFetch, sourcesResolve } from '../activity-options.js';
import { Announcements } from '../application/alerts.js';
import { sourceRevisionSignal } from '../application/messages.js';
import { syncImagePolicies } from '../image/watch.js';
import { syncPipelineTriggers } from '../pipeline/watch.js';
import { newAlertState } from '../shared/alerts.js';
import { failureMessage } from '../shared/failure-message.js';
import { applyDesiredOneByOne, applyDesiredTogether, sourceOf } from './app-set.js';
import { applicationSets, desiredApplications, repoAlertRoutes } from './desired.js';
import type { AppRecord, RepoWatchInput, RepoWatchStatus, WatcherState } from './messages.js';
import { type Notice, noticesToSend, planSources } from './source-plan.js';

const git = activities(gitFetch);
const sources = activities(sourcesResolve, { summary: 'resolve the applications’ sources' });
const events = activities(bookkeeping);

/** The patch under which the watcher resolves its applications' sources and tells them (their patch too). */
const SOURCE_FROM_WATCHER = 'source-from-watcher';
/** The patch under which a new commit's applications start together, each with its source's commit. */
const START_APPS_TOGETHER = 'start-apps-together';
/** The patch under which a valid commit's ImagePolicies get their workflows. */
const IMAGE_AUTOMATION = 'image-automation';

/** One repository's watcher: what it remembers, and the push signal that wakes it. */
export class RepoWatcher {
  readonly state: WatcherState;
  readonly alerts = new Announcements();
  pushed = false;
  /** Repository URLs pushed to (webhooks) whose sources are to be resolved now. */
  private pushedUrls: string[] = [];
  /** This run resolves its applications' sources (false only while replaying a history from before). */
  private resolves = false;
  /** Applications this poll started with their source's commit in their input. */
  private startedTold = new Set<string>();

  constructor(private readonly input: RepoWatchInput) {
    this.state = input.state ?? { apps: {}, pipelines: [], polls: 0, webhooks: 0 };
  }

  /** The push signal: look now instead of at the next poll. */
  onPush(): void {
    this.pushed = true;
    this.state.webhooks++;
  }

  /** The sourcePushed signal: a repository was pushed to; resolve the sources from it now. */
  onSourcePushed({ url }: { url: string }): void {
    // A signal that a worker without this handler dropped stays dropped when its history replays.
    if (!patched(SOURCE_FROM_WATCHER)) return;
    if (!this.pushedUrls.includes(url)) this.pushedUrls.push(url);
  }

  /** Whether a push to some repository waits for its sources to be resolved. */
  sourcesPushed(): boolean {
    return this.pushedUrls.length > 0;
  }

  /** Resolves only the sources from the repositories pushed to, and tells their applications. */
  async resolvePushedSources(): Promise<void> {
    const urls = this.pushedUrls;
    this.pushedUrls = [];
    await this.resolveSources(urls);
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
    this.resolves = patched(SOURCE_FROM_WATCHER);
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
    if (!this.resolves) return;
    this.pushedUrls = [];
    await this.fillSources();
    // Applications started in this poll with their commit are not asked about again until the next one.
    const startedTold = this.startedTold;
    this.startedTold = new Set();
    await this.resolveSources(undefined, startedTold);
  }

  /**
   * Resolves its applications' sources with one activity call (only those from `urls`, when given) and
   * tells each application whose commit changed since it was last told; each answer goes only to the
   * applications of the Project it was checked for.
   */
  private async resolveSources(urls?: string[], skip?: Set<string>): Promise<void> {
    const { apps } = this.state;
    const asked = skip?.size
      ? Object.fromEntries(Object.entries(apps).filter(([id]) => !skip.has(id)))
      : apps;
    const plan = planSources(asked, this.input.repoId, urls);
    if (plan.requests.length === 0) return;
    let results: SourceAnswer[];
    try {
      ({ results } = await sources.resolveSources({ sources: plan.requests }));
    } catch (err) {
      log.warn('could not resolve the applications’ sources; the next poll tries again', {
        error: failureMessage(err),
      });
      return;
    }
    // All signals in one workflow task; an application gone meanwhile is told again next time, if it returns.
    await Promise.all(
      noticesToSend(apps, plan, results).map(({ id, notice, told }) =>
        getExternalWorkflowHandle(id)
          .signal(sourceRevisionSignal, notice)
          .then(() => {
            const record = apps[id];
            if (record) record.told = told;
          })
          .catch((err: unknown) =>
            log.warn('could not tell an application', { id, error: failureMessage(err) }),
          ),
      ),
    );
  }

  /** Records from before the watcher resolved sources lack them: read them once from the last valid commit. */
  private async fillSources(): Promise<void> {
    const { input, state } = this;
    if (!state.lastValidSha || Object.values(state.apps).every((a) => a.source || a.resolvesOwnSources))
      return;
    try {
      const commit = await git.loadPipelineCommit({
        repoId: input.repoId,
        repo: input.repo,
        sha: state.lastValidSha,
      });
      for (const [id, app] of desiredApplications(commit, input.repoId)) {
        const record = state.apps[id];
        if (record && !record.source) {
          const source = sourceOf(app);
          if (source) record.source = source;
          else record.resolvesOwnSources = true;
        }
      }
    } catch (err) {
      log.warn('could not read the sources of earlier applications', { error: failureMessage(err) });
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
    // patched() only where it changes commands: a history from before replays its one-at-a-time path.
    const set = {
      repoUrl: input.repo.url,
      sha: commit.sha,
      appRefreshInterval: input.appRefreshInterval,
      resolves: this.resolves,
      apps: state.apps,
      sets: applicationSets(commit),
    };
    if (this.resolves && patched(START_APPS_TOGETHER)) {
      const told = await applyDesiredTogether(set, desired, (fresh) => this.firstNotices(fresh));
      for (const id of told) this.startedTold.add(id);
    } else await applyDesiredOneByOne(set, desired);
    state.pipelineTriggers = await syncPipelineTriggers({
      repoId: input.repoId,
      repoUrl: input.repo.url,
      commit,
      previousSha: state.lastValidSha,
      records: state.pipelineTriggers ?? {},
    });
    // After the Pipelines: a policy's first selection may signal an image-triggered one started just now.
    if (patched(IMAGE_AUTOMATION))
      state.imagePolicies = await syncImagePolicies({
        repoId: input.repoId,
        repo: { url: input.repo.url, revision: input.repo.revision },
        commit,
        records: state.imagePolicies ?? {},
      });
    state.pipelines = Object.values(state.pipelineTriggers).map((p) => ({
      name: p.name,
      status: 'watching',
    }));
    state.alertRoutes = repoAlertRoutes(commit, desired.values());
    state.lastValidSha = commit.sha;
  }

  /** The commit of each new application's source, resolved before it starts (none when that fails: the poll's resolve tells it). */
  private async firstNotices(fresh: Record<string, AppRecord>): Promise<Map<string, Notice>> {
    const plan = planSources(fresh, this.input.repoId);
    if (plan.requests.length === 0) return new Map();
    try {
      const { results } = await sources.resolveSources({ sources: plan.requests });
      return new Map(noticesToSend(fresh, plan, results).map((n) => [n.id, n]));
    } catch (err) {
      log.warn('could not resolve the new applications’ sources; the poll tries again', {
        error: failureMessage(err),
      });
      return new Map();
    }
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
