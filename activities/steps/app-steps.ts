// sync and rollout-wait: talk to an Application's workflow through the worker's Temporal client
// (workflows cannot send updates or queries to other workflows themselves).
import { Context, heartbeat, sleep } from '@temporalio/activity';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import {
  type ApplicationStatus,
  applicationStatusQuery,
  syncUpdate,
} from '../../workflows/application/messages.js';
import { isTerminal } from '../../workflows/rollout/messages.js';
import { requireString, stepFailed, stepInputError } from './errors.js';
import type { StepCall } from './types.js';

const POLL_MS = 1000;

/**
 * The Application a step acts on: one of the Pipeline's own repository by default; one of another
 * repository (`repository` input) only when it is in the Pipeline's Project, so an author cannot sync,
 * prune or roll another team's application to a commit of their choosing.
 */
async function appHandle(call: StepCall) {
  const app = requireString(call.inputs, 'application', call.step);
  const { caller } = call;
  const repoId = typeof call.inputs.repository === 'string' ? call.inputs.repository : caller.repoId;
  const handle = Context.current().client.workflow.getHandle(applicationWorkflowId(repoId, app));
  if (repoId !== caller.repoId) {
    const status = await handle.query(applicationStatusQuery).catch((err: unknown) => {
      throw stepFailed(
        `${call.step}: application ${repoId}/${app} cannot be read: ${(err as Error).message}`,
      );
    });
    if (status.project !== caller.project)
      throw stepInputError(
        `${call.step}: application ${repoId}/${app} is in Project "${status.project}"; a Pipeline of Project "${caller.project}" may act only on its own repository's Applications and its Project's`,
      );
  }
  return { app, handle };
}

/** Syncs the Application to the revision (one update per step attempt: a retried activity re-attaches to it) and waits until it is Healthy there. */
export async function stepSync(call: StepCall): Promise<Record<string, unknown>> {
  const { app, handle } = await appHandle(call);
  const revision = call.inputs.revision;
  if (revision !== undefined && (typeof revision !== 'string' || !/^[0-9a-f]{40}$/.test(revision)))
    throw stepInputError(
      `${call.step}: revision must be a full 40-character commit SHA, got ${JSON.stringify(revision)}`,
    );
  const info = Context.current().info;
  const result = await handle.executeUpdate(syncUpdate, {
    args: [
      {
        ...(revision ? { revision } : {}),
        ...(typeof call.inputs.prune === 'boolean' ? { prune: call.inputs.prune } : {}),
      },
    ],
    updateId: `${call.workflowId}/${call.step}/${info.activityId}`,
  });
  if (result.phase !== 'Succeeded')
    throw stepFailed(`sync of ${app} to ${result.revision.slice(0, 7)} failed: ${result.message}`);
  let last: ApplicationStatus | undefined;
  for (;;) {
    last = await handle.query(applicationStatusQuery);
    heartbeat({ health: last.health, syncedRevision: last.syncedRevision });
    if (last.syncedRevision !== result.revision)
      throw stepFailed(
        `${app} moved on to ${last.syncedRevision?.slice(0, 7)} while waiting for ${result.revision.slice(0, 7)} to be Healthy`,
      );
    if (last.health === 'Healthy') break;
    await sleep(POLL_MS);
  }
  return { revision: result.revision, health: last.health, syncId: result.id };
}

/** Waits for the Application's rollout of the revision to end; fails when it rolled back, failed or was superseded. */
export async function stepRolloutWait(call: StepCall): Promise<Record<string, unknown>> {
  const { app, handle } = await appHandle(call);
  const wanted = typeof call.inputs.revision === 'string' ? call.inputs.revision : undefined;
  const started = Date.now();
  for (;;) {
    const s = await handle.query(applicationStatusQuery);
    const revision = wanted ?? s.syncedRevision;
    const r = s.rollout;
    heartbeat({ phase: r?.phase, revision });
    if (r && r.revision === revision && isTerminal(r.phase)) {
      if (r.phase === 'Succeeded' || r.phase === 'Initialized')
        return { phase: r.phase, revision: r.revision, workflowId: r.workflowId };
      throw stepFailed(
        `the rollout of ${app} at ${r.revision.slice(0, 7)} ended ${r.phase}: ${r.failed?.message ?? r.message}`,
      );
    }
    // Synced, no rollout for this revision after a while: the pod template did not change, nothing to roll out.
    if (s.syncedRevision === revision && (!r || r.revision !== revision) && Date.now() - started > 30_000)
      return { phase: 'None', revision, workflowId: '' };
    await sleep(POLL_MS);
  }
}
