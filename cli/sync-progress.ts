// What a running sync has done so far, read from its workflow's history: each activity is a step (its summary
// says what, "apply wave 0: 3 object(s)"), and the steps' results say per object what was planned, applied and
// how healthy it is. `app sync` and `app wait` draw this as a table that updates, like `argocd app sync`.
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { type ResourceRef, refKey } from '../core/resource-ref.js';

/** A workflow's history as the client fetches it. */
export type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type Event = NonNullable<History['events']>[number];

/** One step of the sync (one activity). */
export interface SyncStep {
  summary: string;
  state: 'Running' | 'Succeeded' | 'Failed';
  message?: string;
}

/** One object of the sync: its wave and hook, whether it was applied and matches Git, its health. */
export interface ResourceProgress {
  ref: ResourceRef;
  wave?: number;
  hook?: string;
  sync: string;
  health: string;
  message?: string;
}

/** A sync's progress: its steps in order and its objects in render order. */
export interface SyncProgress {
  steps: SyncStep[];
  resources: ResourceProgress[];
}

const decode = (payloads: { payloads?: unknown[] | null } | null | undefined): unknown => {
  const first = payloads?.payloads?.[0];
  if (!first) return undefined;
  try {
    return defaultPayloadConverter.fromPayload(
      first as Parameters<typeof defaultPayloadConverter.fromPayload>[0],
    );
  } catch {
    return undefined; // an encrypted or binary payload: the step still shows, without its objects
  }
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isRef = (v: unknown): v is ResourceRef =>
  isObject(v) && typeof v.kind === 'string' && typeof v.name === 'string' && typeof v.apiVersion === 'string';
const entries = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((e): e is Record<string, unknown> => isObject(e) && isRef(e.ref)) : [];

/** Folds one step's result into the objects: a plan lists them, an apply marks them, a health check grades them. */
function take(result: unknown, rows: Map<string, ResourceProgress>): void {
  if (!isObject(result)) {
    // compareApp answers a bare list of diffs.
    for (const d of entries(result)) row(rows, d.ref as ResourceRef).sync = String(d.status);
    return;
  }
  for (const p of entries(result.resources))
    if (typeof p.wave === 'number') {
      const r = row(rows, p.ref as ResourceRef);
      r.wave = p.wave;
      if (typeof p.hook === 'string') r.hook = p.hook;
    }
  for (const a of entries(result.applied)) {
    const r = row(rows, a.ref as ResourceRef);
    // The status is what the object was before the apply; after it, it matches Git.
    r.sync = 'Synced';
    r.message = a.status === 'Missing' ? 'created' : a.changed ? 'configured' : 'unchanged';
  }
  const health = isObject(result.health) ? result.health : result;
  if (typeof health.status === 'string')
    for (const h of entries(health.resources)) {
      const r = row(rows, h.ref as ResourceRef);
      r.health = String(h.status);
      // Why an object is not healthy says more than how it was applied.
      if (h.status !== 'Healthy' && typeof h.message === 'string' && h.message) r.message = h.message;
    }
}

function row(rows: Map<string, ResourceProgress>, ref: ResourceRef): ResourceProgress {
  const key = refKey(ref);
  let r = rows.get(key);
  if (!r) {
    r = { ref, sync: 'Pending', health: '-' };
    rows.set(key, r);
  }
  return r;
}

const id = (n: unknown): string => String(n ?? '');

/** Reads a sync workflow's history into its steps and objects. */
export function syncProgress(history: History): SyncProgress {
  const steps = new Map<string, SyncStep>();
  const rows = new Map<string, ResourceProgress>();
  for (const e of (history.events ?? []) as Event[]) {
    if (e.activityTaskScheduledEventAttributes) {
      const summary = decode({ payloads: e.userMetadata?.summary ? [e.userMetadata.summary] : [] });
      const type = e.activityTaskScheduledEventAttributes.activityType?.name ?? 'step';
      steps.set(id(e.eventId), { summary: typeof summary === 'string' ? summary : type, state: 'Running' });
    }
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      const step = steps.get(id(done.scheduledEventId));
      if (step) step.state = 'Succeeded';
      take(decode(done.result), rows);
    }
    const failed = e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
    if (failed) {
      const step = steps.get(id(failed.scheduledEventId));
      if (step) {
        step.state = 'Failed';
        step.message = failed.failure?.message ?? 'failed';
      }
    }
  }
  return { steps: [...steps.values()], resources: [...rows.values()] };
}
