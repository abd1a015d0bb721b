// notify(): announces an event to the alert providers of a Rollout or Application from workflow code.
// Delivery failures are logged and swallowed: alerts never fail or stop a sync or a rollout.
import {
  type ActivityOptions,
  isCancellation,
  log,
  type RetryPolicy,
  workflowInfo,
} from '@temporalio/workflow';
import type { AlertActivities } from '../../activities/alerts/deliver.js';
import { type SluiceEvent, terminalEventTypes } from '../../core/events/event.js';
import { activities, alertDelivery } from '../activity-options.js';
import { type AlertRoute, type AlertState, admit, routesFor, threadKey } from './alerts-routing.js';
import { workflowNow } from './workflow-time.js';

export * from './alerts-routing.js';

/** Knobs of notify; the defaults suit production. */
export interface NotifyOptions {
  /** Identical events for the same app within this window are sent once (default 5 minutes). */
  collapseWindowMs?: number;
  /** Retry policy of the delivery activity (default: 2 s doubling to 1 min, 6 attempts, 4xx not retried). */
  retry?: RetryPolicy;
  /** Upper bound on one delivery including retries (default 3 minutes): how long a dead provider can hold the caller. */
  scheduleToCloseTimeout?: ActivityOptions['scheduleToCloseTimeout'];
  /** Task queue of the delivery activity (default: the workflow's). */
  taskQueue?: string;
}

/** What notify did. */
export interface NotifyResult {
  /** The event id (idempotency key), or undefined when the event was collapsed. */
  id?: string;
  collapsed: boolean;
  delivered: string[];
  failed: string[];
}

export { alertRetryPolicy } from '../activity-options.js';

/**
 * Sends an event to every route whose severity admits it, unless an identical one went out within
 * the window. Rollout events of one app and revision share a Slack thread per provider; a terminal
 * one (promoted, rolled back, failed) updates the thread's parent and closes it. Never throws,
 * except to pass on the workflow's own cancellation.
 */
export async function notify(
  state: AlertState,
  routes: AlertRoute[],
  event: SluiceEvent,
  opts: NotifyOptions = {},
): Promise<NotifyResult> {
  const result: NotifyResult = { collapsed: false, delivered: [], failed: [] };
  try {
    const targets = routesFor(routes, event);
    if (targets.length === 0) return result;
    const now = workflowNow();
    const { send, suppressed } = admit(state, event, now, opts.collapseWindowMs);
    if (!send) {
      log.info('alert collapsed: identical event within the window', {
        event: event.type,
        subject: event.subject,
        suppressed,
      });
      return { ...result, collapsed: true };
    }
    const info = workflowInfo();
    state.seq++;
    const id = `${info.workflowId}:${info.runId}:${state.seq}`;
    const full: SluiceEvent & { id: string } = { workflowId: info.workflowId, at: now, ...event, id };
    if (suppressed > 0) full.fields = { ...event.fields, repeats: suppressed };
    result.id = id;
    const delivery = activities<AlertActivities>(alertDelivery(opts.scheduleToCloseTimeout, opts.retry), {
      summary: `alert ${event.type} (${event.severity})`,
      ...(opts.taskQueue ? { taskQueue: opts.taskQueue } : {}),
    });
    await Promise.all(
      targets.map(async (route) => {
        const key = threadKey(route.provider.name, full);
        const thread = key ? state.threads[key] : undefined;
        try {
          const out = await delivery.deliverAlert({
            event: full,
            provider: route.provider,
            caller: route.caller,
            ...(thread ? { thread } : {}),
          });
          result.delivered.push(route.provider.name);
          if (key && out.thread && !thread) state.threads[key] = out.thread;
        } catch (err) {
          if (isCancellation(err)) throw err;
          result.failed.push(route.provider.name);
          log.warn('alert not delivered; carrying on', {
            provider: route.provider.name,
            event: event.type,
            id,
            error: failureText(err),
          });
        }
        if (key && terminalEventTypes.includes(full.type)) delete state.threads[key];
      }),
    );
    return result;
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('notify failed; carrying on', {
      event: event.type,
      error: err instanceof Error ? err.message : String(err),
    });
    return result;
  }
}

// The activity's own message (the cause of an ActivityFailure), which names provider and HTTP status only.
function failureText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.cause.name}: ${err.cause.message}` : err.message;
}
