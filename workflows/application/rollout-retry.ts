// `sluice rollout retry`: a revision whose rollout failed is not rolled out again until its target changes
// (Flagger's rule, so a bad revision does not loop). When the failure was outside the revision (a metric
// source down, a flaky check), an operator starts that rollout again by hand, without a new commit.
import { ApplicationFailure, condition, log, patched } from '@temporalio/workflow';
import type { OperatorRequest, RolloutRetried } from './operator-messages.js';
import type { RolloutMemory } from './rollout-runner.js';
import type { ApplicationRun } from './state.js';
import { OPERATOR_PATCH, operatorRecord, validateRequester } from './suspension.js';

/** Why a rollout cannot be retried now, or undefined when it can: only the last rollout, and only when it failed. */
export function retryProblem(
  app: Pick<ApplicationRun, 'desired'>,
  memory: RolloutMemory,
): string | undefined {
  const current = memory.current;
  if (!app.desired.rollout && !current) return 'it names no Rollout';
  if (!current) return 'no rollout has run yet';
  if (memory.running) return `its rollout ${current.workflowId} is still running (${current.phase})`;
  if (current.phase !== 'Failed')
    return `its last rollout ${current.workflowId} did not fail (it is ${current.phase}): only a failed rollout is retried`;
  // Only the failure of the target as it is now holds the rollout back (a newer target rolls out by itself).
  if (memory.failedChecksum === undefined) return `its failed rollout ${current.workflowId} is not held back`;
  if (!app.desired.rollout) return 'it no longer names a Rollout';
  return undefined;
}

/** The retryRollout update's validator. */
export function validateRetry(app: ApplicationRun, req: OperatorRequest): void {
  validateRequester(req);
  const problem = retryProblem(app, app.state.rollouts as RolloutMemory);
  if (problem) throw new Error(problem);
}

/** The retryRollout update: forgets the failure and starts the rollout of the synced revision again. */
export async function retryRollout(app: ApplicationRun, req: OperatorRequest): Promise<RolloutRetried> {
  patched(OPERATOR_PATCH); // marks the history: an older worker must not replay what follows
  const memory = app.state.rollouts as RolloutMemory;
  // Never beside a sync: it may start a rollout itself (and one at a time changes the target).
  await condition(() => !app.syncing);
  const problem = retryProblem(app, memory);
  if (problem) throw ApplicationFailure.nonRetryable(problem, 'RolloutNotRetried');
  const failed = memory.failedChecksum;
  const revision = app.state.syncedRevision ?? (memory.current?.revision as string);
  app.syncing = true;
  try {
    memory.failedChecksum = undefined;
    await app.rollouts.afterSync(app.desired, revision);
  } finally {
    app.syncing = false;
  }
  const current = memory.current;
  if (!memory.running || !current) {
    // Nothing started (the target now matches the primary, or it could not start): the failure stays on record.
    if (memory.failedChecksum === undefined && current?.phase === 'Failed') memory.failedChecksum = failed;
    throw ApplicationFailure.nonRetryable(
      memory.lastError ?? 'the target no longer differs from what the primary serves: nothing to roll out',
      'RolloutNotRetried',
    );
  }
  app.state.rolloutRetry = { ...operatorRecord(req), workflowId: current.workflowId };
  log.info('failed rollout retried by hand', { workflowId: current.workflowId, by: req.by });
  return { workflowId: current.workflowId, revision: current.revision, checksum: current.checksum };
}
