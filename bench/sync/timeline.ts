// Where a first sync's time goes: the moments Temporal recorded in an application's history and its sync's,
// each measured from the push, so queueing (scheduled → started) and work (started → completed) show apart.
import type { Client } from '@temporalio/client';
import { pool } from '../lib/pool.js';
import { quantile } from '../lib/stats.js';

/** The moments of one app's first sync, ms after the push (absent when the history has no such event). */
export type SyncMoments = Partial<Record<Moment, number>>;

/** The moments read, in the order they happen. */
export const MOMENTS = [
  'app started',
  'sync initiated',
  'sync started',
  'apply scheduled',
  'apply started',
  'apply completed',
  'health scheduled',
  'health started',
  'health completed',
  'sync closed',
] as const;
type Moment = (typeof MOMENTS)[number];

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number | undefined =>
  t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : undefined;

/** Reads an application's history and its first sync's, returning each moment relative to `from`. */
async function momentsOf(client: Client, appId: string, syncId: string, from: number): Promise<SyncMoments> {
  const out: SyncMoments = {};
  const at = (m: Moment, t: number | undefined) => {
    if (t !== undefined && out[m] === undefined) out[m] = t - from;
  };
  const app = await client.workflow.getHandle(appId).fetchHistory();
  for (const e of app.events ?? []) {
    const t = ms(e.eventTime);
    if (e.workflowExecutionStartedEventAttributes) at('app started', t);
    if (e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId === syncId) at('sync initiated', t);
  }
  const sync = await client.workflow.getHandle(syncId).fetchHistory();
  // The first activity is the render-and-apply step, the last one before the close the health wait.
  const activity = new Map<string, 'apply' | 'health'>();
  for (const e of sync.events ?? []) {
    const t = ms(e.eventTime);
    if (e.workflowExecutionStartedEventAttributes) at('sync started', t);
    const s = e.activityTaskScheduledEventAttributes;
    if (s) {
      const kind = activity.size === 0 ? 'apply' : 'health';
      activity.set(String(e.eventId), kind);
      if (kind === 'health') delete out['health scheduled'];
      at(`${kind} scheduled`, t);
    }
    const started = e.activityTaskStartedEventAttributes;
    const kindOf = (id: unknown) => activity.get(String(id));
    if (started) {
      const k = kindOf(started.scheduledEventId);
      if (k === 'health') delete out['health started'];
      if (k) at(`${k} started`, t);
    }
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      const k = kindOf(done.scheduledEventId);
      if (k === 'health') delete out['health completed'];
      if (k) at(`${k} completed`, t);
    }
    if (e.workflowExecutionCompletedEventAttributes || e.workflowExecutionFailedEventAttributes)
      at('sync closed', t);
  }
  return out;
}

/** Each moment's p50 and p95 over the sampled apps, ms after the push. */
export type Timeline = Partial<Record<Moment, { p50: number; p95: number }>>;

/** Reads the sampled apps' histories and summarises when each moment of their first sync came. */
export async function firstSyncTimeline(
  client: Client,
  apps: { appId: string; syncId: string }[],
  pushedAt: number,
): Promise<Timeline> {
  const all = await pool(apps, 8, (a) => momentsOf(client, a.appId, a.syncId, pushedAt));
  const out: Timeline = {};
  for (const m of MOMENTS) {
    const values = all.map((x) => x[m]).filter((v): v is number => v !== undefined);
    if (values.length) out[m] = { p50: quantile(values, 0.5), p95: quantile(values, 0.95) };
  }
  return out;
}
