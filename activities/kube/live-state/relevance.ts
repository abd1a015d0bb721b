import type { KubernetesObject } from '@kubernetes/client-node';
import { assessHealth, type HealthCode } from '../../../core/health/health.js';
import { ROLLOUT_FIELD_MANAGER } from '../../rollout/names.js';
import { TRACKING_ANNOTATION } from '../../sync/annotations.js';
import { FIELD_MANAGER } from '../apply.js';
import type { LiveEvent } from './types.js';

// Field managers of Sluice's own writes (sync and rollout).
const ownManagers = new Set([FIELD_MANAGER, ROLLOUT_FIELD_MANAGER]);

/** Why a change matters to the application that owns the object. */
export type ChangeReason = 'deleted' | 'spec' | 'metadata' | 'content' | 'health';

/** The tracking id (`<repoId>/<app>`) of the application owning the event's object, if any. */
export function ownerOf(event: LiveEvent): string | undefined {
  return (
    event.object.metadata?.annotations?.[TRACKING_ANNOTATION] ??
    event.previous?.metadata?.annotations?.[TRACKING_ANNOTATION]
  );
}

/**
 * Whether a change should wake the owning application, and why: a deletion; a change of health (`healthChanged`,
 * see settledHealth); a new generation (spec) or changed labels/annotations that Sluice did not write itself; for
 * kinds without a generation, any change outside status and write bookkeeping. ADDED is not a reason: the cache's
 * first list adds everything, and an object appears only because a sync created it.
 */
export function changeReason(event: LiveEvent, healthChanged: boolean): ChangeReason | undefined {
  if (!ownerOf(event)) return undefined;
  if (event.type === 'DELETED') return 'deleted';
  const before = event.previous;
  if (event.type === 'ADDED' || !before) return undefined;
  if (healthChanged) return 'health';
  const after = event.object;
  if (ownManagers.has(lastWriter(after) ?? '')) return undefined; // Sluice's own write: its workflow knows
  const generation = after.metadata?.generation;
  if (generation !== undefined && generation !== before.metadata?.generation) return 'spec';
  if (!sameJson(before.metadata?.labels, after.metadata?.labels)) return 'metadata';
  if (!sameJson(before.metadata?.annotations, after.metadata?.annotations)) return 'metadata';
  if (generation === undefined && !sameJson(content(before), content(after))) return 'content';
  return undefined;
}

/**
 * The object's health once its controller has caught up: undefined while status.observedGeneration lags behind
 * metadata.generation. Every spec write (a Deployment's annotations count too) makes the object Progressing for the
 * moment until its controller looks; that blip is no news, the health after it is.
 */
export function settledHealth(obj: KubernetesObject, now = Date.now()): HealthCode | undefined {
  const observed = (obj as { status?: { observedGeneration?: number } }).status?.observedGeneration;
  const generation = obj.metadata?.generation;
  if (observed !== undefined && generation !== undefined && observed < generation) return undefined;
  return assessHealth(obj, { now }).status;
}

/**
 * The field manager whose write to the object (not its status) is the newest, by managedFields time; undefined when two managers share the
 * newest second (then nobody is sure, and the change counts as foreign).
 */
export function lastWriter(obj: KubernetesObject): string | undefined {
  // Status writes (subresource "status") change neither spec nor metadata: they do not count.
  const entries = (obj.metadata?.managedFields ?? []).filter((f) => f.time !== undefined && !f.subresource);
  let newest: string | undefined;
  let newestTime = '';
  let tie = false;
  for (const f of entries) {
    const time = String(f.time instanceof Date ? f.time.toISOString() : f.time);
    if (time > newestTime) {
      newestTime = time;
      newest = f.manager;
      tie = false;
    } else if (time === newestTime && f.manager !== newest) tie = true;
  }
  return tie ? undefined : newest;
}

/** The object without status and the metadata every write changes. */
function content(obj: KubernetesObject): unknown {
  const { status: _status, metadata, ...rest } = obj as KubernetesObject & { status?: unknown };
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = metadata ?? {};
  return { ...rest, metadata: meta };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
