// One sync of an application: the child workflow, its alerts, and what the application records of it.
import { condition, executeChild, isCancellation } from '@temporalio/workflow';
import { runStatus } from '../../core/run-endings.js';
import { SluiceApp, SluiceKind, SluiceRevision } from '../shared/search-attributes.js';
import { stableHash } from '../shared/stable-hash.js';
import { type SyncResult, syncWorkflow, syncWorkflowId } from '../sync/workflow.js';
import type { SyncCause } from './alerts.js';
import { ownerOf, type SyncRequest } from './messages.js';
import { renderRequest, syncOptions } from './policy.js';
import { rolloutKeepLive } from './rollout-runner.js';
import type { ApplicationRun } from './state.js';

const HISTORY_IN_STATE = 50;

/** Runs one sync of an application as a child workflow, one at a time, and records it in its state. */
export async function runApplicationSync(
  app: ApplicationRun,
  revision: string,
  overrides: SyncRequest = {},
  cause: SyncCause = {},
): Promise<SyncResult> {
  await condition(() => !app.syncing);
  app.syncing = true;
  const { desired, state, alerts } = app;
  const id = state.nextSyncId++;
  const childId = syncWorkflowId(desired.repoId, desired.name, revision, id);
  const announce = !overrides.dryRun;
  try {
    if (announce) alerts.started(revision, childId, cause);
    const child = executeChild(syncWorkflow, {
      workflowId: childId,
      args: [
        {
          id,
          owner: ownerOf(desired),
          request: renderRequest(desired.name, app.spec(), revision),
          cluster: app.spec().destination.cluster ?? 'in-cluster',
          options: syncOptions(app.spec(), overrides),
          previousInventory: state.inventory,
          ignoreDifferences: app.ignored(),
          keepLive: rolloutKeepLive(desired),
        },
      ],
      typedSearchAttributes: [
        { key: SluiceApp, value: desired.name },
        { key: SluiceKind, value: 'sync' },
        { key: SluiceRevision, value: revision },
      ],
    });
    // A failed sync fails its workflow (one from before completed): either way its result is the history entry.
    const result = await runStatus(child);
    if (!result.dryRun) {
      state.history = [...state.history, result].slice(-HISTORY_IN_STATE);
      state.inventory = result.inventory;
      state.health = result.health;
      if (result.phase === 'Succeeded') {
        state.syncedRevision = revision;
        state.syncedSpecHash = stableHash(app.desired.spec);
        state.syncStatus = 'Synced';
        await app.rollouts.afterSync(app.desired, revision);
      }
      alerts.finished(result, childId, cause);
    }
    return result;
  } catch (err) {
    if (announce && !isCancellation(err)) alerts.crashed(revision, childId, failureText(err));
    throw err;
  } finally {
    app.syncing = false;
  }
}

// The failure's own message, under Temporal's ChildWorkflowFailure wrapper.
function failureText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? err.cause.message : err.message;
}
