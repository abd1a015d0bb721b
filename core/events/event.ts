/** Severity of an event, used to route alerts: info < warn < error. */
export type Severity = 'info' | 'warn' | 'error';

/** Every kind of event Sluice announces; constructors for each are in ./kinds.js. */
export type EventType =
  | 'sync.started'
  | 'sync.succeeded'
  | 'sync.failed'
  | 'sync.degraded'
  | 'drift.healed'
  | 'application.drifted'
  | 'application.recovered'
  | 'application.removed'
  | 'application.suspended'
  | 'application.resumed'
  | 'rollout.handedBack'
  | 'rollout.started'
  | 'rollout.stepAdvanced'
  | 'rollout.paused'
  | 'rollout.checkFailed'
  | 'rollout.promoted'
  | 'rollout.rolledBack'
  | 'rollout.failed'
  | 'pipeline.invalid'
  | 'repository.unreachable';

/** The analysis metric that failed a check: its value against the threshold it missed. */
export interface FailedMetric {
  name: string;
  value: number;
  /** The range or condition it had to meet, e.g. "<= 0.01" or "100..500". */
  threshold: string;
}

/** Something Sluice did or found that people should hear about; alert providers render these. */
export interface SluiceEvent {
  /** One of EventType; any other string is accepted too, so callers can add kinds before they are listed here. */
  type: EventType | (string & {});
  severity: Severity;
  /** Application (or repository, for repository events) the event is about. */
  subject: string;
  revision?: string;
  message: string;
  fields?: Record<string, string | number | boolean>;
  /** Canary traffic weight in percent, for rollout events. */
  weight?: number;
  /** The failed metric, for a rollback or a failed check. */
  metric?: FailedMetric;
  /** Temporal workflow that emitted it, for the UI link. */
  workflowId?: string;
  /** Idempotency key: the same id is delivered at most once per provider where the provider allows it. */
  id?: string;
  /** When it happened (ms since the epoch; workflow time). */
  at?: number;
  /** Link to the workflow in the Temporal UI (filled in by the delivery activity when absent). */
  link?: string;
}

/** Rollout events that end a rollout: the Slack thread's parent is updated with them. */
export const terminalEventTypes: readonly string[] = [
  'rollout.promoted',
  'rollout.rolledBack',
  'rollout.failed',
];

/** Numeric rank of a severity, for "at least" comparisons. */
export function severityRank(s: Severity): number {
  return s === 'error' ? 2 : s === 'warn' ? 1 : 0;
}

/** The workflow's page in the Temporal UI, e.g. http://127.0.0.1:8233/namespaces/default/workflows/app%2Fshop. */
export function temporalUiLink(baseUrl: string, namespace: string, workflowId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
