// Test-only workflow: feeds a list of events through notify(), as the sync and rollout workflows do.
import type { RetryPolicy } from '@temporalio/workflow';
import type { SluiceEvent } from '../../../core/events/event.js';
import {
  type AlertRoute,
  type AlertState,
  type NotifyResult,
  newAlertState,
  notify,
} from '../../../workflows/shared/alerts.js';

/** Input of alertScenarioWorkflow. */
export interface AlertScenarioInput {
  routes: AlertRoute[];
  events: SluiceEvent[];
  collapseWindowMs?: number;
  retry?: RetryPolicy;
}

/** Notifies each event in turn with one alert state; returns what notify did and the state. */
export async function alertScenarioWorkflow(
  input: AlertScenarioInput,
): Promise<{ results: NotifyResult[]; state: AlertState }> {
  const state = newAlertState();
  const results: NotifyResult[] = [];
  for (const event of input.events)
    results.push(
      await notify(state, input.routes, event, {
        ...(input.collapseWindowMs !== undefined ? { collapseWindowMs: input.collapseWindowMs } : {}),
        ...(input.retry ? { retry: input.retry } : {}),
      }),
    );
  return { results, state };
}
