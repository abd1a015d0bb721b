import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import type { PipelineCommit } from '../activities/git/pipeline-commit.js';
import type { RepoSpec } from '../activities/git/repo-spec.js';
import type { SluiceActivities } from '../activities/index.js';
import { nonRetryableErrorTypes } from '../core/errors.js';
import { pipelineInvalid } from '../core/events/kinds.js';
import { applicationWorkflowId } from '../core/workflow-ids.js';
import type {
  Alert,
  AlertProvider,
  AlertProviderSpec,
  MetricTemplateSpec,
  RolloutSpec,
} from '../schemas/types.generated.js';
import { type AlertRoute, type AlertState, newAlertState, resolveAlertRoutes } from './alerts.js';
import {
  applicationStopSignal,
  applicationUpdateSignal,
  applicationWorkflow,
  type DesiredApplication,
} from './application.js';
import { Announcements } from './application-alerts.js';
import { durationMs, jitterFactor } from './duration.js';
import { failureMessage } from './failure-message.js';
import { type PipelineRecords, syncPipelineTriggers } from './pipeline-watch.js';
import { SluiceApp, SluiceKind, SluiceRevision } from './search-attributes.js';
import { stableHash } from './stable-hash.js';

/** One application the watcher started, and what it last handed it. */
interface AppRecord {
  name: string;
  project: string;
  revision: string;
  specHash: string;
}

/** What the watcher remembers; carried across continue-as-new. */
export interface WatcherState {
  /** Newest commit looked at, valid or not. */
  lastSeenSha?: string;
  /** Newest commit whose pipeline files were valid: the set in force. */
  lastValidSha?: string;
  /** Running application workflows by workflow ID (`app/<repoId>/<name>`). */
  apps: Record<string, AppRecord>;
  /** Pipelines declared at lastValidSha, each watched by its trigger workflow. */
  pipelines: { name: string; status: 'watching' }[];
  /** The trigger workflow of each Pipeline of the last valid commit. */
  pipelineTriggers?: PipelineRecords;
  /** Errors of the newest commit when it is invalid (file:line:col: field: message). */
  invalid?: { sha: string; errors: string[] };
  /** Last failure to reach the repository, cleared by the next success. */
  lastError?: string;
  /** The alert routes of lastValidSha's Applications, one per provider: an invalid commit is announced to them. */
  alertRoutes?: AlertRoute[];
  /** What the watcher's own alerts remember (collapsed repeats). */
  alerts?: AlertState;
  polls: number;
  webhooks: number;
}

/** Input of the repository watcher. */
export interface RepoWatchInput {
  repoId: string;
  repo: RepoSpec;
  /** How often to poll (default "1m", ±10% jitter); a push webhook wakes it at once. */
  pollInterval?: string;
  /** Allow a commit with no pipeline objects to stop every application (default false: such a commit is invalid). */
  allowEmpty?: boolean;
  /** Polls per run before continue-as-new (default 200, far below Temporal's history limits). */
  maxPollsPerRun?: number;
  state?: WatcherState;
}

/** `status` answer: the input's repository plus the state. */
export interface RepoWatchStatus extends WatcherState {
  repoId: string;
  url: string;
  revision: string;
  path: string;
}

/** Sent by the worker's webhook receiver on a verified push: look now instead of at the next poll. */
export const repoPushSignal = defineSignal('push');
/** The watcher's state: commits seen, apps running, the errors of an invalid commit. */
export const repoStatusQuery = defineQuery<RepoWatchStatus>('status');

const git = proxyActivities<SluiceActivities>({
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes,
  },
});
const events = proxyActivities<SluiceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10 },
});

export { applicationWorkflowId };

const key = (o: { metadata: { name: string; namespace?: string } }) =>
  `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/** The Rollout an Application names, with the commit's MetricTemplates (by "namespace/name"). */
function rolloutOf(
  commit: PipelineCommit,
  namespace: string,
  name: unknown,
): Pick<DesiredApplication, 'rollout' | 'metricTemplates'> {
  if (typeof name !== 'string') return {};
  const rollout = commit.objects.find((o) => o.kind === 'Rollout' && key(o) === `${namespace}/${name}`);
  if (!rollout) return {};
  const templates = commit.objects.filter((o) => o.kind === 'MetricTemplate').map((o) => [key(o), o.spec]);
  return {
    rollout: { name, namespace, spec: rollout.spec as unknown as RolloutSpec },
    metricTemplates: Object.fromEntries(templates) as Record<string, MetricTemplateSpec>,
  };
}

/** The AlertProviders an Application's alerts and its Rollout's alerts name (by "namespace/name"); none: {}. */
function alertProvidersOf(
  commit: PipelineCommit,
  namespace: string,
  app: Pick<DesiredApplication, 'spec' | 'rollout'>,
): Pick<DesiredApplication, 'alertProviders'> {
  const refs = (alerts: Alert[] | undefined, ns: string) =>
    (alerts ?? []).map((a) => `${a.providerRef.namespace ?? ns}/${a.providerRef.name}`);
  const wanted = new Set([
    ...refs(app.spec.alerts as Alert[] | undefined, namespace),
    ...refs(app.rollout?.spec.analysis?.alerts, app.rollout?.namespace ?? namespace),
  ]);
  const providers = commit.objects.filter((o) => o.kind === 'AlertProvider' && wanted.has(key(o)));
  if (providers.length === 0) return {};
  return {
    alertProviders: Object.fromEntries(providers.map((o) => [key(o), o.spec])) as Record<
      string,
      AlertProviderSpec
    >,
  };
}

/** The alert routes of every Application, one per provider (an invalid commit is one event for all of them). */
function repoAlertRoutes(commit: PipelineCommit, apps: Iterable<DesiredApplication>): AlertRoute[] {
  const providers = commit.objects.filter((o) => o.kind === 'AlertProvider') as unknown as AlertProvider[];
  const byProvider = new Map<string, AlertRoute>();
  for (const app of apps) {
    const { routes } = resolveAlertRoutes(
      app.spec.alerts as Alert[] | undefined,
      providers,
      { repoId: app.repoId, project: app.project },
      app.namespace,
    );
    for (const r of routes) if (!byProvider.has(r.provider.name)) byProvider.set(r.provider.name, r);
  }
  return [...byProvider.values()];
}

/** Applications of a valid commit, keyed by their workflow ID (repository and name: core/workflow-ids.ts). */
function desiredApplications(commit: PipelineCommit, repoId: string): Map<string, DesiredApplication> {
  const desired = new Map<string, DesiredApplication>();
  for (const obj of commit.objects) {
    if (obj.kind !== 'Application') continue;
    const spec = obj.spec as unknown as Record<string, unknown>;
    const namespace = obj.metadata.namespace ?? 'default';
    const app: DesiredApplication = {
      repoId,
      name: obj.metadata.name,
      // loadPipelineCommit sets the effective Project (the one named, or the repository's only one).
      project: spec.project as string,
      ...(obj.metadata.namespace ? { namespace } : {}),
      revision: commit.sha,
      spec,
      source: `${obj.source.file}:${obj.source.line}`,
      ...rolloutOf(commit, namespace, spec.rollout),
    };
    desired.set(applicationWorkflowId(repoId, obj.metadata.name), {
      ...app,
      ...alertProvidersOf(commit, namespace, app),
    });
  }
  return desired;
}

/**
 * Watches one repository (`repo/<id>`): polls its branch on an interval and at once on a push signal;
 * on a new commit loads and validates the pipeline files and starts, updates or stops one application
 * workflow per Application. An invalid commit is reported and changes nothing: the last valid set stays.
 */
export async function repoWatcherWorkflow(input: RepoWatchInput): Promise<never> {
  const state: WatcherState = input.state ?? { apps: {}, pipelines: [], polls: 0, webhooks: 0 };
  const interval = durationMs(input.pollInterval ?? '1m');
  const maxPolls = input.maxPollsPerRun ?? 200;
  const alerts = new Announcements();
  let pushed = false;
  setHandler(repoPushSignal, () => {
    pushed = true;
    state.webhooks++;
  });
  setHandler(repoStatusQuery, () => ({
    repoId: input.repoId,
    url: input.repo.url,
    revision: input.repo.revision,
    path: input.repo.path,
    ...state,
  }));

  for (let pollsThisRun = 0; ; pollsThisRun++) {
    pushed = false;
    state.polls++;
    try {
      const { sha } = await git.resolveRepoRevision(input.repo);
      if (sha !== state.lastSeenSha)
        await onNewCommit(
          input,
          state,
          await git.loadPipelineCommit({ repoId: input.repoId, repo: input.repo, sha }),
          alerts,
        );
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
    const wait = Math.round(interval * jitterFactor(`${workflowInfo().workflowId}/${state.polls}`));
    await condition(() => pushed, wait);
    if (pollsThisRun + 1 >= maxPolls || workflowInfo().continueAsNewSuggested) {
      await alerts.drain();
      await condition(allHandlersFinished);
      await continueAsNew<typeof repoWatcherWorkflow>({ ...input, state });
    }
  }
}

async function onNewCommit(
  input: RepoWatchInput,
  state: WatcherState,
  commit: PipelineCommit,
  alerts: Announcements,
): Promise<void> {
  state.lastSeenSha = commit.sha;
  if (commit.errors.length > 0) return reportInvalid(input, state, commit, alerts);
  const running = Object.keys(state.apps).length;
  if (commit.objects.length === 0 && running > 0 && !input.allowEmpty) {
    // A wrong path or a botched move looks exactly like "delete everything": refuse it, as Argo CD's
    // allowEmpty does, unless the repository opts in.
    const error = `${input.repo.path || '.'}: no pipeline objects at ${commit.sha.slice(0, 7)}; refusing to stop ${running} running application(s) (set allowEmpty on the repository to allow this)`;
    return reportInvalid(input, state, { ...commit, errors: [error] }, alerts);
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
  state.pipelines = Object.values(state.pipelineTriggers).map((p) => ({ name: p.name, status: 'watching' }));
  state.alertRoutes = repoAlertRoutes(commit, desired.values());
  state.lastValidSha = commit.sha;
}

/** Records an invalid commit and alerts; the applications of the last valid commit stay as they are. */
async function reportInvalid(
  input: RepoWatchInput,
  state: WatcherState,
  commit: PipelineCommit,
  alerts: Announcements,
): Promise<void> {
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
  alerts.send(state.alerts, state.alertRoutes ?? [], event);
}

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
