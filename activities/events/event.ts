/** Severity of an event, used to route alerts. */
export type Severity = 'info' | 'warn' | 'error';

/** Something Sluice did or found that people should hear about; alert providers render these. */
export interface SluiceEvent {
  /** Event type, e.g. "pipeline.invalid", "sync.succeeded", "rollout.promoted". */
  type: string;
  severity: Severity;
  /** Application (or repository, for repository events) the event is about. */
  subject: string;
  revision?: string;
  message: string;
  fields?: Record<string, string | number | boolean>;
  /** Temporal workflow that emitted it, for the UI link. */
  workflowId?: string;
}
