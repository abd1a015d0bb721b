// Suspending an application's automation by hand, as `flux suspend` does during an incident: while
// suspended, neither a new commit nor drift is applied by itself (a hand-made hotfix on the cluster stays),
// but the source and the live state are still looked at, so status shows OutOfSync. A sync or rollback
// asked for by hand still runs (Argo CD's manual sync with automation off); resume looks at once.
import { log, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { workflowNow } from '../shared/workflow-time.js';
import type { OperatorRecord, OperatorRequest, SuspendRequest, Suspension } from './operator-messages.js';
import type { ApplicationRun } from './state.js';

/** The patch under which an application can be suspended and its failed rollout retried by hand. */
export const OPERATOR_PATCH = 'operator-actions';

/** What an application remembers of operators' actions (part of its state, carried across continue-as-new). */
export interface OperatorMemory {
  /** Set while automation is suspended: who suspended it, why and when. */
  suspended?: Suspension;
  /** The last hand-started retry of a failed rollout: who, why, when and which rollout. */
  rolloutRetry?: OperatorRecord & { workflowId: string };
}

/** True while automated sync and self-heal are suspended. */
export function isSuspended(memory: OperatorMemory): boolean {
  return memory.suspended !== undefined;
}

/** An operator's request as recorded: who, why, and the workflow time it took effect. */
export function operatorRecord(req: OperatorRequest): OperatorRecord {
  const reason = req.reason?.trim();
  // biome-ignore lint/style/noRestrictedGlobals: formats workflow time (workflowNow), deterministic on replay
  const at = new Date(workflowNow()).toISOString();
  return {
    by: req.by.trim(),
    ...(req.identity ? { identity: req.identity } : {}),
    ...(reason ? { reason } : {}),
    at,
  };
}

// Names and reasons go into workflow state, status and alerts: one short line each, no terminal or markup controls.
const MAX_BY = 100;
const MAX_REASON = 500;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A free-text field's problem: too long, or holding control characters (a newline, an escape sequence). */
function textProblem(what: string, value: string, max: number): string | undefined {
  if (value.length > max) return `${what} is longer than ${max} characters`;
  if (CONTROL.test(value)) return `${what} holds control characters (one line of plain text)`;
  return undefined;
}

/** Who asked must be named (the CLI always names someone); validators throw plain errors (exit 2). */
export function validateRequester(req: OperatorRequest): void {
  if (typeof req?.by !== 'string' || req.by.trim() === '') throw new Error('say who asks (--by)');
  const problem =
    textProblem('--by', req.by, MAX_BY) ??
    (req.reason === undefined ? undefined : textProblem('--reason', String(req.reason), MAX_REASON)) ??
    (req.identity === undefined
      ? undefined
      : textProblem('the client identity', String(req.identity), MAX_BY));
  if (problem) throw new Error(problem);
}

/** The suspend update's validator: a reason, and not suspended already (the first suspension stays on record). */
export function validateSuspend(memory: OperatorMemory, req: SuspendRequest): void {
  validateRequester(req);
  if (typeof req.reason !== 'string' || req.reason.trim() === '')
    throw new Error('say why it is suspended (--reason): the reason is shown and alerted');
  const s = memory.suspended;
  if (s) throw new Error(`already suspended by ${s.by} at ${s.at}: ${s.reason}`);
}

/** The resume update's validator: it is suspended. */
export function validateResume(memory: OperatorMemory, req: OperatorRequest): void {
  validateRequester(req);
  if (!memory.suspended) throw new Error('it is not suspended');
}

/** The suspend update: records who and why, shows it in the Temporal UI (SluicePhase), alerts. */
export function suspendApp(app: ApplicationRun, req: SuspendRequest): Suspension {
  patched(OPERATOR_PATCH); // marks the history: an older worker must not replay what follows
  const record = operatorRecord(req) as Suspension;
  app.state.suspended = record;
  upsertSearchAttributes({ SluicePhase: ['Suspended'] });
  log.info('automation suspended', { by: record.by, reason: record.reason });
  app.alerts.suspended(app.state.syncedRevision, record);
  return record;
}

/** The resume update: clears the suspension and wakes the loop to look at the source and drift now. */
export function resumeApp(app: ApplicationRun, req: OperatorRequest): Suspension {
  patched(OPERATOR_PATCH);
  const ended = app.state.suspended as Suspension;
  const record = operatorRecord(req);
  app.state.suspended = undefined;
  upsertSearchAttributes({ SluicePhase: [] });
  log.info('automation resumed', { by: record.by, suspendedBy: ended.by });
  app.alerts.resumed(app.state.syncedRevision, record);
  // A commit seen while suspended is synced, drift healed, on this turn of the loop (resolving the source itself).
  app.wake = true;
  app.resolveNow = true;
  return ended;
}
