// Where an application's source commit comes from: the repository watcher resolves each source once
// per poll for all its applications and signals it (sourceRevisionSignal); an application started
// before that, or asked to refresh, resolves it itself with one ls-remote.
import { patched } from '@temporalio/workflow';
import { appSources, isSingleGitSource, sourceKey } from '../../core/sync/app-sources.js';
import { activities, appCall } from '../activity-options.js';
import { failureMessage } from '../shared/failure-message.js';
import { type DesiredApplication, ownerOf, type SourceRevisionNotice } from './messages.js';
import type { AppSpec } from './policy.js';

/** The patch under which the repository watcher, not the application, resolves the source. */
export const SOURCE_FROM_WATCHER = 'source-from-watcher';

/** What an application remembers of its source (part of its state, carried across continue-as-new). */
export interface SourceMemory {
  /** Newest known commit of the source. */
  sourceRevision?: string;
  /** The repository watcher resolves the source and signals its commit (set at start, or by its first notice). */
  sourceFromWatcher?: boolean;
  /** The source ("repoURL#targetRevision") sourceRevision is a commit of: a changed spec waits for a new notice. */
  sourceOf?: string;
  /** Why the watcher could not resolve the source, until it resolves again. */
  sourceError?: string;
}

/** A refresh's look at the source: go on with sourceRevision, or stop (with an error to show, if any). */
export type SourceLook = { ok: true } | { ok: false; error?: string };

const api = activities(appCall);
/** "repoURL#targetRevision" for one Git source, as ever; every source's for charts and multi-source. */
const sourceOf = (spec: AppSpec) => sourceKey(spec);

/**
 * The source's commit for a refresh: the watcher's last notice, or (before the watcher resolved sources,
 * or when `direct`: a refresh signal asked) an ls-remote of the application's own.
 */
export async function lookAtSource(
  memory: SourceMemory,
  desired: DesiredApplication,
  direct: boolean,
): Promise<SourceLook> {
  const spec = desired.spec as unknown as AppSpec;
  // Chart and multi-source Applications resolve their own sources on every refresh (the watcher tells only
  // of single Git sources); every history recorded before they existed has a single Git source.
  const watched = isSingleGitSource(spec);
  // patched() last: a history from before the watcher resolved sources replays through the old path.
  if (watched && !direct && memory.sourceFromWatcher === true && patched(SOURCE_FROM_WATCHER)) {
    if (memory.sourceError !== undefined) return { ok: false, error: memory.sourceError };
    return { ok: memory.sourceOf === sourceOf(spec) }; // not told of this source yet: wait
  }
  try {
    const [first] = appSources(spec);
    const { sha } = await api.resolveSourceRevision({
      repoURL: first?.repoURL ?? '',
      targetRevision: first?.targetRevision ?? 'HEAD',
      owner: ownerOf(desired),
      // Same activity, same place in the history: only a chart or multi-source spec (new) passes its sources.
      ...(watched ? {} : { sources: appSources(spec) }),
    });
    memory.sourceRevision = sha;
    memory.sourceOf = sourceOf(spec);
    memory.sourceError = undefined;
    return { ok: true };
  } catch (err) {
    return { ok: false, error: failureMessage(err) };
  }
}

/** What the sourceRevision handler changes: the application's memory, its loop's wake flag, its shown error. */
export interface NoticeTaker {
  readonly state: SourceMemory;
  readonly desired: DesiredApplication;
  wake: boolean;
  lastError: string | undefined;
}

/** The sourceRevision signal's handler: takes the watcher's notice into memory and wakes the loop on news. */
export function takeNotice(app: NoticeTaker, notice: SourceRevisionNotice): void {
  // A notice that a worker without this handler dropped stays dropped when its history replays.
  if (!patched(SOURCE_FROM_WATCHER)) return;
  const memory = app.state;
  const key = sourceOf(app.desired.spec as unknown as AppSpec);
  // Sent for an earlier spec: the notice for the current one follows the update.
  if (`${notice.repoURL}#${notice.targetRevision}` !== key) return;
  memory.sourceFromWatcher = true;
  if (notice.sha === undefined) {
    memory.sourceError = notice.error ?? 'the repository watcher could not resolve the source';
    app.lastError = memory.sourceError;
    return;
  }
  // The watcher tells only of a change, but a repeat (after its continue-as-new, say) costs no refresh.
  if (notice.sha !== memory.sourceRevision || memory.sourceOf !== key || memory.sourceError !== undefined)
    app.wake = true;
  memory.sourceError = undefined;
  memory.sourceOf = key;
  memory.sourceRevision = notice.sha;
}
