import type { Client } from '@temporalio/client';
import { pool } from '../lib/pool.js';

/** Where one activity type's time went, over the sampled workflows. */
export interface ActivityStats {
  activity: string;
  count: number;
  /** Scheduled → started (first attempts only): time waiting for a worker to take the task. */
  meanQueueMs: number;
  /** Started → completed or failed (first attempts only): the activity's own run time. */
  meanRunMs: number;
  p95RunMs: number;
  failed: number;
  /** Executions whose last attempt was not the first: a timeout or error made Temporal retry them. */
  retried: number;
  /** Why the earlier attempts of retried executions ended ("activity StartToClose timeout"…). */
  retryReasons: string[];
}

type Ts = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;
const ms = (t: Ts) => (t ? Number(String(t.seconds ?? 0)) * 1000 + (t.nanos ?? 0) / 1e6 : 0);
const id = (v: unknown) => String(v);

/** Reads the workflows' histories and aggregates their activities' queue and run times by type. */
export async function activityBreakdown(client: Client, workflowIds: string[]): Promise<ActivityStats[]> {
  const samples = new Map<
    string,
    { queue: number[]; run: number[]; failed: number; retried: number; reasons: Set<string> }
  >();
  await pool(workflowIds, 8, async (workflowId) => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = new Map<string, { type: string; at: number }>();
    const started = new Map<string, { at: number; attempt: number; lastFailure?: string }>();
    for (const e of history.events ?? []) {
      const at = ms(e.eventTime as Ts);
      const s = e.activityTaskScheduledEventAttributes;
      if (s) scheduled.set(id(e.eventId), { type: s.activityType?.name ?? '?', at });
      const st = e.activityTaskStartedEventAttributes;
      if (st)
        started.set(id(st.scheduledEventId), {
          at,
          attempt: st.attempt ?? 1,
          lastFailure: st.lastFailure?.message ?? undefined,
        });
      const done =
        e.activityTaskCompletedEventAttributes ??
        e.activityTaskFailedEventAttributes ??
        e.activityTaskTimedOutEventAttributes;
      if (!done) continue;
      const sched = scheduled.get(id(done.scheduledEventId));
      const start = started.get(id(done.scheduledEventId));
      if (!sched || !start) continue;
      const entry = samples.get(sched.type) ?? {
        queue: [],
        run: [],
        failed: 0,
        retried: 0,
        reasons: new Set(),
      };
      if (!e.activityTaskCompletedEventAttributes) entry.failed++;
      if (start.attempt > 1) {
        // The history keeps only the last attempt's start: its wait includes the failed attempts.
        entry.retried++;
        entry.reasons.add(start.lastFailure ?? 'unknown');
      } else {
        entry.queue.push(start.at - sched.at);
        entry.run.push(at - start.at);
      }
      samples.set(sched.type, entry);
    }
  });
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return [...samples.entries()].map(([activity, s]) => {
    const sorted = [...s.run].sort((a, b) => a - b);
    return {
      activity,
      count: s.run.length + s.retried,
      meanQueueMs: mean(s.queue),
      meanRunMs: mean(s.run),
      p95RunMs: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0,
      failed: s.failed,
      retried: s.retried,
      retryReasons: [...s.reasons],
    };
  });
}
