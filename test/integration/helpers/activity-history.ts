import type { WorkflowHandle } from '@temporalio/client';

/** One scheduled activity of a workflow's history, with how it ended. */
export interface ActivityRun {
  type: string;
  /** The first argument, decoded (JSON payloads). */
  input: unknown;
  /** The attempt that ended it, the worker that ran that attempt, and when that attempt started (ms). */
  attempt?: number;
  identity?: string;
  startedAt?: number;
  /** Completed, Failed, TimedOut, Canceled, or undefined while it runs. */
  outcome?: string;
}

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : undefined;

/** Every activity a workflow scheduled, in order, read from its history. */
export async function activityRuns(handle: WorkflowHandle): Promise<ActivityRun[]> {
  const runs = new Map<string, ActivityRun>();
  const closes = {
    activityTaskCompletedEventAttributes: 'Completed',
    activityTaskFailedEventAttributes: 'Failed',
    activityTaskTimedOutEventAttributes: 'TimedOut',
    activityTaskCanceledEventAttributes: 'Canceled',
  } as const;
  for (const e of (await handle.fetchHistory()).events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const data = scheduled.input?.payloads?.[0]?.data;
      runs.set(String(e.eventId), {
        type: scheduled.activityType?.name ?? '',
        input: data ? JSON.parse(Buffer.from(data).toString()) : undefined,
      });
      continue;
    }
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const run = runs.get(String(started.scheduledEventId));
      if (run) {
        run.attempt = started.attempt ?? undefined;
        run.identity = started.identity ?? undefined;
        run.startedAt = ms(e.eventTime);
      }
      continue;
    }
    for (const [key, outcome] of Object.entries(closes)) {
      const attrs = e[key as keyof typeof closes] as { scheduledEventId?: unknown } | null | undefined;
      const run = attrs && runs.get(String(attrs.scheduledEventId));
      if (run) run.outcome = outcome;
    }
  }
  return [...runs.values()];
}
