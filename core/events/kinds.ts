// One constructor per event kind. Pure (no I/O, no clock): safe to import from workflow code.
import type { FailedMetric, SluiceEvent } from './event.js';

/** Who an event is about: the application, the revision and the workflow that saw it. */
export interface EventSubject {
  /** Application name (or repository id, for repository events). */
  subject: string;
  revision?: string;
  workflowId?: string;
}

const short = (rev?: string) => (rev ? rev.slice(0, 7) : 'unknown revision');
const of = (s: EventSubject) => ({
  subject: s.subject,
  ...(s.revision !== undefined ? { revision: s.revision } : {}),
  ...(s.workflowId !== undefined ? { workflowId: s.workflowId } : {}),
});

/** "error_rate 0.12 (threshold <= 0.01)". */
export function describeMetric(m: FailedMetric): string {
  return `${m.name} ${m.value} (threshold ${m.threshold})`;
}

/** Sync of a revision began. */
export function syncStarted(s: EventSubject): SluiceEvent {
  return {
    ...of(s),
    type: 'sync.started',
    severity: 'info',
    message: `syncing ${s.subject} to ${short(s.revision)}`,
  };
}

/** Sync applied everything and the application is healthy. */
export function syncSucceeded(s: EventSubject, fields?: { applied?: number; pruned?: number }): SluiceEvent {
  return {
    ...of(s),
    type: 'sync.succeeded',
    severity: 'info',
    message: `${s.subject} synced to ${short(s.revision)} and healthy`,
    ...(fields ? { fields: { ...fields } } : {}),
  };
}

/** Sync failed (render, apply or a hook). */
export function syncFailed(s: EventSubject, reason: string): SluiceEvent {
  return {
    ...of(s),
    type: 'sync.failed',
    severity: 'error',
    message: `sync of ${s.subject} to ${short(s.revision)} failed: ${reason}`,
  };
}

/** Synced, but the application's health is Degraded. */
export function syncDegraded(s: EventSubject, detail: string): SluiceEvent {
  return {
    ...of(s),
    type: 'sync.degraded',
    severity: 'warn',
    message: `${s.subject} at ${short(s.revision)} is degraded: ${detail}`,
  };
}

/** Self-heal put drifted resources back to the revision in Git. */
export function driftHealed(s: EventSubject, resources: string[]): SluiceEvent {
  const list = resources.slice(0, 10).join(', ') + (resources.length > 10 ? ', …' : '');
  return {
    ...of(s),
    type: 'drift.healed',
    severity: 'info',
    message: `${s.subject}: drift healed on ${resources.length} resource(s): ${list}`,
    fields: { resources: resources.length },
  };
}

/** Live objects differ from Git and self-heal is off: the Application is OutOfSync until someone syncs it. */
export function applicationDrifted(s: EventSubject, resources: string[]): SluiceEvent {
  const list = resources.slice(0, 10).join(', ') + (resources.length > 10 ? ', …' : '');
  return {
    ...of(s),
    type: 'application.drifted',
    severity: 'warn',
    message: `${s.subject} drifted from ${short(s.revision)} on ${resources.length} resource(s): ${list} (self-heal is off: sync to put them back)`,
    fields: { resources: resources.length },
  };
}

/** The Application's objects, Degraded since its last sync, are Healthy again. */
export function applicationRecovered(s: EventSubject): SluiceEvent {
  return {
    ...of(s),
    type: 'application.recovered',
    severity: 'info',
    message: `${s.subject} at ${short(s.revision)} is healthy again`,
  };
}

/** The Application was removed from Git: what happened to its objects (deleted with prune on, else left). */
export function applicationRemoved(
  s: EventSubject,
  removal: { mode: 'deleted' | 'orphaned'; deleted: number; kept: number; reason: string; error?: string },
): SluiceEvent {
  const what = removal.error
    ? `deleting its objects failed (${removal.error}) after ${removal.deleted} were deleted: delete the rest by hand`
    : removal.mode === 'deleted'
      ? `deleted ${removal.deleted} object(s)${removal.kept ? `, kept ${removal.kept}` : ''}`
      : `automated prune is off: its ${removal.kept} object(s) are left in place`;
  return {
    ...of(s),
    type: 'application.removed',
    severity: removal.error ? 'error' : 'warn',
    message: `${s.subject} ${removal.reason}: ${what}`,
    fields: { mode: removal.mode, deleted: removal.deleted, kept: removal.kept },
  };
}

/** Who did something by hand and why: the fields of an operator's event. */
export interface OperatorAction {
  by: string;
  reason?: string;
  identity?: string;
}

const actionFields = (a: OperatorAction) => ({
  by: a.by,
  ...(a.reason ? { reason: a.reason } : {}),
  ...(a.identity ? { identity: a.identity } : {}),
});

/** Someone suspended the Application's automation: no automated sync or self-heal until resumed. */
export function applicationSuspended(s: EventSubject, a: OperatorAction): SluiceEvent {
  return {
    ...of(s),
    type: 'application.suspended',
    severity: 'warn',
    message: `${s.subject}: automated sync and self-heal suspended by ${a.by}: ${a.reason ?? 'no reason given'}`,
    fields: actionFields(a),
  };
}

/** Someone resumed the Application's automation: it looks at Git and the cluster at once. */
export function applicationResumed(s: EventSubject, a: OperatorAction): SluiceEvent {
  const why = a.reason ? `: ${a.reason}` : '';
  return {
    ...of(s),
    type: 'application.resumed',
    severity: 'info',
    message: `${s.subject}: automation resumed by ${a.by}${why}; it looks at Git and the cluster now`,
    fields: actionFields(a),
  };
}

/** The Application stopped naming its Rollout: its own Deployment serves again and the primary is gone. */
export function rolloutHandedBack(
  s: EventSubject,
  target: { rollout: string; deployment: string },
): SluiceEvent {
  return {
    ...of(s),
    type: 'rollout.handedBack',
    severity: 'info',
    message: `${s.subject} no longer names Rollout ${target.rollout}: ${target.deployment} serves all traffic again and ${target.deployment}-primary was deleted`,
    fields: { rollout: target.rollout },
  };
}

/** A progressive rollout began. */
export function rolloutStarted(s: EventSubject, strategy?: string): SluiceEvent {
  return {
    ...of(s),
    type: 'rollout.started',
    severity: 'info',
    message: `rollout of ${s.subject} ${short(s.revision)} started${strategy ? ` (${strategy})` : ''}`,
    weight: 0,
    ...(strategy ? { fields: { strategy } } : {}),
  };
}

/** Traffic moved to the next step. */
export function rolloutStepAdvanced(
  s: EventSubject,
  step: { weight: number; index?: number; of?: number },
): SluiceEvent {
  const pos = step.index !== undefined && step.of !== undefined ? ` (step ${step.index}/${step.of})` : '';
  return {
    ...of(s),
    type: 'rollout.stepAdvanced',
    severity: 'info',
    message: `${s.subject} canary weight ${step.weight}%${pos}`,
    weight: step.weight,
    ...(step.index !== undefined
      ? { fields: { step: step.index, ...(step.of ? { steps: step.of } : {}) } }
      : {}),
  };
}

/** The rollout waits: a pause step, a gate or a manual pause. */
export function rolloutPaused(s: EventSubject, reason: string, weight?: number): SluiceEvent {
  return {
    ...of(s),
    type: 'rollout.paused',
    severity: 'info',
    message: `rollout of ${s.subject} ${short(s.revision)} paused: ${reason}`,
    ...(weight !== undefined ? { weight } : {}),
  };
}

/** An analysis check failed but the rollout goes on (below its failure threshold). */
export function rolloutCheckFailed(
  s: EventSubject,
  check: { metric?: FailedMetric; reason?: string; failed?: number; threshold?: number; weight?: number },
): SluiceEvent {
  const what = check.metric ? describeMetric(check.metric) : (check.reason ?? 'a check failed');
  const count =
    check.failed !== undefined && check.threshold !== undefined
      ? ` (${check.failed}/${check.threshold})`
      : '';
  return {
    ...of(s),
    type: 'rollout.checkFailed',
    severity: 'warn',
    message: `${s.subject} ${short(s.revision)} check failed${count}: ${what}`,
    ...(check.metric ? { metric: check.metric } : {}),
    ...(check.weight !== undefined ? { weight: check.weight } : {}),
  };
}

/** The canary became the primary. */
export function rolloutPromoted(s: EventSubject): SluiceEvent {
  return {
    ...of(s),
    type: 'rollout.promoted',
    severity: 'info',
    message: `${s.subject} ${short(s.revision)} promoted`,
    weight: 100,
  };
}

/** Traffic went back to the primary, usually because a metric failed its threshold. */
export function rolloutRolledBack(
  s: EventSubject,
  cause: { reason?: string; metric?: FailedMetric; weight?: number },
): SluiceEvent {
  const why = cause.metric ? `${describeMetric(cause.metric)}` : (cause.reason ?? 'aborted');
  return {
    ...of(s),
    type: 'rollout.rolledBack',
    severity: 'error',
    message: `rollout of ${s.subject} ${short(s.revision)} rolled back: ${why}`,
    ...(cause.metric ? { metric: cause.metric } : {}),
    ...(cause.weight !== undefined ? { weight: cause.weight } : {}),
    ...(cause.metric && cause.reason ? { fields: { reason: cause.reason } } : {}),
  };
}

/** The rollout could not run or finish (not a metric failure: an error in the rollout itself). */
export function rolloutFailed(s: EventSubject, reason: string): SluiceEvent {
  return {
    ...of(s),
    type: 'rollout.failed',
    severity: 'error',
    message: `rollout of ${s.subject} ${short(s.revision)} failed: ${reason}`,
  };
}

/** A commit's pipeline files are invalid; the last valid commit stays in force. */
export function pipelineInvalid(s: EventSubject, errors: string[]): SluiceEvent {
  return {
    ...of(s),
    type: 'pipeline.invalid',
    severity: 'error',
    message: `commit ${short(s.revision)} has ${errors.length} invalid pipeline file error(s); the previous valid commit stays in force:\n${errors.slice(0, 20).join('\n')}`,
    fields: { errors: errors.length },
  };
}
