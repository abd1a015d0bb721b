// How the repository watcher brings its running applications in line with a valid commit's Applications:
// start the new ones, update the changed ones, stop the removed ones.
import { getExternalWorkflowHandle, patched, workflowInfo } from '@temporalio/workflow';
import { isSingleGitSource } from '../../core/sync/app-sources.js';
import type { ApplicationSpec } from '../../schemas/types.generated.js';
import { activities, appStarts } from '../activity-options.js';
import {
  applicationStopSignal,
  applicationUpdateSignal,
  type DesiredApplication,
} from '../application/messages.js';
import type { ApplicationInput } from '../application/state.js';
import { applicationWorkflow } from '../application/workflow.js';
import { applicationSearchAttributes } from '../shared/search-attributes.js';
import { stableHash } from '../shared/stable-hash.js';
import { signalStop, startOrSignal } from '../shared/watched-child.js';
import type { AppRecord } from './messages.js';
import { mayRemove, mayUpdate, preserves, type SetPolicy } from './set-policy.js';
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
  /** The commit's ApplicationSets by "namespace/name": a generated Application's set that stays decides its removal. */
  sets?: ReadonlyMap<string, SetPolicy>;
}

/** The source an application syncs from, as the watcher records and resolves it: none for a chart or multi-source one (it resolves its own). */
export const sourceOf = (app: DesiredApplication): AppRecord['source'] => {
  const spec = app.spec as unknown as ApplicationSpec;
  if (!isSingleGitSource(spec)) return undefined;
  const source = spec.source as { repoURL: string; targetRevision?: string };
  return { repoURL: source.repoURL, targetRevision: source.targetRevision ?? 'HEAD' };
};

/** What a record says of who resolves the application's source. */
const resolution = (app: DesiredApplication): Pick<AppRecord, 'source' | 'resolvesOwnSources'> => {
  const source = sourceOf(app);
  return source ? { source } : { resolvesOwnSources: true };
};

/** The record the watcher keeps of a desired application; what it was told holds while its source stays. */
function recordOf(set: AppSet, app: DesiredApplication, known: AppRecord | undefined): AppRecord {
  const record: AppRecord = {
    name: app.name,
    project: app.project,
    revision: app.revision,
    specHash: stableHash(app.spec),
    ...(set.resolves ? resolution(app) : {}),
  };
  if (app.generatedBy) {
    const { set: name, policy, preserve } = app.generatedBy;
    record.generatedBy = { set: name, policy, preserve };
  }
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

/** The patch under which the watcher follows an ApplicationSet's policy for the Applications it generated. */
const APPLICATION_SETS = 'application-sets';

/** Whether a generated Application's set policy holds back what the watcher would do (only such records reach patched()). */
const governed = (record: AppRecord | undefined) =>
  record?.generatedBy !== undefined && patched(APPLICATION_SETS);

/**
 * The record to keep for a desired application and whether to send it its new spec: a generated one whose
 * set does not let it be updated keeps what it was last given (its hash), with the set's current policy.
 */
function nextRecord(known: AppRecord | undefined, record: AppRecord): { record: AppRecord; update: boolean } {
  if (!known || !changed(known, record)) return { record, update: false };
  if (governed(record) && !mayUpdate(record))
    return {
      record: { ...known, ...(record.generatedBy ? { generatedBy: record.generatedBy } : {}) },
      update: false,
    };
  return { record, update: true };
}

/** The removed applications to stop; a generated one its set keeps (create-only, create-update) stays running and recorded. */
function toRemove(set: AppSet, desired: Map<string, DesiredApplication>): string[] {
  return Object.keys(set.apps).filter((id) => {
    if (desired.has(id)) return false;
    const record = set.apps[id] as AppRecord;
    return !governed(record) || mayRemove(record, set.sets ?? new Map());
  });
}

/** Starts, updates and stops applications one workflow task after another (histories from before). */
export async function applyDesiredOneByOne(
  set: AppSet,
  desired: Map<string, DesiredApplication>,
): Promise<void> {
  const { apps } = set;
  for (const [id, app] of desired) {
    const known = apps[id];
    const { record, update } = nextRecord(known, recordOf(set, app, known));
    if (!known)
      await startApplication(
        id,
        set.resolves
          ? { desired: app, sourceFromWatcher: true, refreshInterval: set.appRefreshInterval }
          : { desired: app },
      );
    else if (update) await getExternalWorkflowHandle(id).signal(applicationUpdateSignal, app);
    apps[id] = record;
  }
  for (const id of toRemove(set, desired)) {
    await stopApplication(set, id, preserves(set.apps[id], set.sets ?? new Map()));
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
    const { record, update } = nextRecord(known, recordOf(set, app, known));
    if (!known) fresh[id] = record;
    else if (update) updated.push([id, app]);
    apps[id] = record;
  }
  const removed = toRemove(set, desired);
  const preserved = new Set(removed.filter((id) => preserves(apps[id], set.sets ?? new Map())));
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
  await inBatches(removed, (id) => stopApplication(set, id, preserved.has(id)));
  return told;
}

/** Tells a removed application to stop (it removes its objects, unless preserved); one already gone is fine. */
async function stopApplication(set: AppSet, id: string, preserve = false): Promise<void> {
  const reason = `removed from ${set.repoUrl} at ${set.sha.slice(0, 7)}`;
  await signalStop(id, 'application', applicationStopSignal, { reason, ...(preserve ? { preserve } : {}) });
}

/** Starts an application's workflow: true when it started, false when one ran already (it gets an update). */
async function startApplication(id: string, args: ApplicationInput): Promise<boolean> {
  const app = args.desired;
  const start = { workflowId: id, input: args, typedSearchAttributes: applicationSearchAttributes(app) };
  // Already running (started by an earlier watcher): hand it the new desired state instead.
  return startOrSignal(applicationWorkflow, start, applicationUpdateSignal, app);
}
