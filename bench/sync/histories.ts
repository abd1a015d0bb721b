import type { Client } from '@temporalio/client';
import { pool } from '../lib/pool.js';

/** What the histories of some workflows hold: events, activities, and the activities that did not go cleanly. */
export interface HistoryCounts {
  workflows: number;
  events: number;
  activities: number;
  /** "workflow: activity (attempt N | timed out: …)" for every retried or timed-out activity. */
  problems: string[];
}

/** Reads each workflow's history and counts its events and activities, listing retries and timeouts. */
export async function countHistories(client: Client, workflowIds: string[]): Promise<HistoryCounts> {
  const out: HistoryCounts = { workflows: 0, events: 0, activities: 0, problems: [] };
  await pool(workflowIds, 8, async (id) => {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const types = new Map<string, string>();
    out.workflows++;
    for (const e of history.events ?? []) {
      out.events++;
      const s = e.activityTaskScheduledEventAttributes;
      if (s) {
        out.activities++;
        types.set(String(e.eventId), s.activityType?.name ?? '?');
      }
      const started = e.activityTaskStartedEventAttributes;
      if (started && (started.attempt ?? 1) > 1)
        out.problems.push(
          `${id}: ${types.get(String(started.scheduledEventId))} attempt ${started.attempt} (${started.lastFailure?.message ?? '?'})`,
        );
      const timedOut = e.activityTaskTimedOutEventAttributes;
      if (timedOut)
        out.problems.push(
          `${id}: ${types.get(String(timedOut.scheduledEventId))} timed out (${timedOut.failure?.message ?? '?'})`,
        );
    }
  });
  return out;
}
