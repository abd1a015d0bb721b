// How the repository watcher brings its running applications in line with a valid commit's Applications:
// start the new ones, update the changed ones, stop the removed ones.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  patched,
  startChild,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import { activities, appStarts } from '../activity-options.js';
import {
  applicationStopSignal,
  applicationUpdateSignal,
  type DesiredApplication,
} from '../application/messages.js';
import type { ApplicationInput } from '../application/state.js';
import { applicationWorkflow } from '../application/workflow.js';
import { failureMessage } from '../shared/failure-message.js';
import { applicationSearchAttributes } from '../shared/search-attributes.js';
import { stableHash } from '../shared/stable-hash.js';
import type { AppRecord } from './messages.js';
import type { Notice } from './source-plan.js';

/** What the watcher hands over: its repository, the commit, and its records of the running applications. */
export interface AppSet {
  repoUrl: string;
  sha: string;
  appRefreshInterval?: string;
  /** The watcher resolves its applications' sources (false only while replaying a history from before). */
  resolves: boolean;
  /** Running application workflows by workflow ID, updated in place. */
  apps: Record<string, AppRecord>;
}

/** The source an application syncs from, as the watcher records and resolves it. */
export const sourceOf = (app: DesiredApplication): AppRecord['source'] => {
  const source = app.spec.source as { repoURL: string; targetRevision?: string };
  return { repoURL: source.repoURL, targetRevision: source.targetRevision ?? 'HEAD' };
};

/** The record the watcher keeps of a desired application; what it was told holds while its source stays. */
function recordOf(set: AppSet, app: DesiredApplication, known: AppRecord | undefined): AppRecord {
  const record: AppRecord = {
    name: app.name,
    project: app.project,
    revision: app.revision,
    specHash: stableHash(app.spec),
    ...(set.resolves ? { source: sourceOf(app) } : {}),
  };
  if (known?.told !== undefined && stableHash(known.source) === stableHash(record.source))
    record.told = known.told;
  return record;
}

/**
 * Commands sent in one workflow task: a task's commands travel in one gRPC message (4 MiB at most), and 100
 * application inputs of a few KiB each stay far below it.
 */
const BATCH = 100;

/** The items in runs of BATCH. */
const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));

/** Runs `fn` on every item, BATCH at a time (each batch's commands in one workflow task). */
async function inBatches<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  for (const batch of chunks(items)) await Promise.all(batch.map(fn));
}

/** The patch under which the watcher starts applications from an activity instead of as its children. */
const START_APPS_BY_ACTIVITY = 'start-apps-by-activity';

const starter = activities(appStarts, { summary: 'start applications' });

const changed = (known: AppRecord, record: AppRecord) =>
  known.revision !== record.revision || known.specHash !== record.specHash;

/** Starts, updates and stops applications one workflow task after another (histories from before). */
export async function applyDesiredOneByOne(
  set: AppSet,
  desired: Map<string, DesiredApplication>,
): Promise<void> {
  const { apps } = set;
  for (const [id, app] of desired) {
    const known = apps[id];
    const record = recordOf(set, app, known);
    if (!known)
      await startApplication(
        id,
        set.resolves
          ? { desired: app, sourceFromWatcher: true, refreshInterval: set.appRefreshInterval }
          : { desired: app },
      );
    else if (changed(known, record)) await getExternalWorkflowHandle(id).signal(applicationUpdateSignal, app);
    apps[id] = record;
  }
  for (const id of Object.keys(apps)) {
    if (desired.has(id)) continue;
    await stopApplication(set, id);
    delete apps[id];
  }
}

/**
 * Resolves the new applications' sources first (one activity for all, `firstNotices`), then starts them, each
 * with its commit in its input so its first sync waits for no notice, updates the changed ones and stops the
 * removed ones, up to BATCH of each in one workflow task: a commit of N applications costs a few workflow tasks,
 * not N round trips. Answers the applications started with their commit (the poll need not tell them again).
 */
export async function applyDesiredTogether(
  set: AppSet,
  desired: Map<string, DesiredApplication>,
  firstNotices: (fresh: Record<string, AppRecord>) => Promise<Map<string, Notice>>,
): Promise<string[]> {
  const { apps } = set;
  const fresh: Record<string, AppRecord> = {};
  const updated: [string, DesiredApplication][] = [];
  for (const [id, app] of desired) {
    const known = apps[id];
    const record = recordOf(set, app, known);
    if (!known) fresh[id] = record;
    else if (changed(known, record)) updated.push([id, app]);
    apps[id] = record;
  }
  const removed = Object.keys(apps).filter((id) => !desired.has(id));
  for (const id of removed) delete apps[id];
  const notices = await firstNotices(fresh);
  const told: string[] = [];
  const inputOf = (id: string): ApplicationInput => {
    const first = notices.get(id);
    return {
      desired: desired.get(id) as DesiredApplication,
      sourceFromWatcher: true,
      refreshInterval: set.appRefreshInterval,
      ...(first ? { source: first.notice } : {}),
    };
  };
  // Only for one started now: one already running got an update signal instead, and the poll's resolve tells it.
  const tellStarted = (id: string) => {
    const first = notices.get(id);
    const record = apps[id];
    if (first && record) {
      record.told = first.told;
      told.push(id);
    }
  };
  const start = async (id: string) => {
    if (await startApplication(id, inputOf(id))) tellStarted(id);
  };
  if (patched(START_APPS_BY_ACTIVITY)) {
    // Batches side by side: each activity's input (100 application inputs) stays far below Temporal's 2 MB.
    await Promise.all(
      chunks(Object.keys(fresh)).map(async (batch) => {
        const { started } = await starter.startApplications({
          taskQueue: workflowInfo().taskQueue,
          starts: batch.map((id) => ({ workflowId: id, input: inputOf(id) })),
        });
        for (const id of started) tellStarted(id);
      }),
    );
  } else await inBatches(Object.keys(fresh), start);
  await inBatches(updated, ([id, app]) => getExternalWorkflowHandle(id).signal(applicationUpdateSignal, app));
  await inBatches(removed, (id) => stopApplication(set, id));
  return told;
}

/** Tells a removed application to stop (it removes its objects); one already gone is fine. */
async function stopApplication(set: AppSet, id: string): Promise<void> {
  await getExternalWorkflowHandle(id)
    .signal(applicationStopSignal, { reason: `removed from ${set.repoUrl} at ${set.sha.slice(0, 7)}` })
    .catch((err: unknown) => log.warn('application already gone', { id, error: failureMessage(err) }));
}

/** Starts an application's workflow: true when it started, false when one ran already (it gets an update). */
async function startApplication(id: string, args: ApplicationInput): Promise<boolean> {
  const app = args.desired;
  try {
    await startChild(applicationWorkflow, {
      workflowId: id,
      args: [args],
      // Applications outlive any one run of the watcher (it continues-as-new) and the watcher itself.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: applicationSearchAttributes(app),
    });
    return true;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    // Already running (started by an earlier watcher): hand it the new desired state instead.
    await getExternalWorkflowHandle(id).signal(applicationUpdateSignal, app);
    return false;
  }
}
