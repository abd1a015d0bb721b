import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceSyncStatus } from '../../core/sync/types.js';
import { APPLIED_HASH_ANNOTATION } from './annotations.js';

/** True when every field of `desired` has the same value in `live` (extra live fields are fine: the server adds them). */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) && desired.length === live.length && desired.every((d, i) => isSubset(d, live[i]))
    );
  }
  if (desired && typeof desired === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return false;
    return Object.entries(desired).every(
      ([k, v]) => v === undefined || isSubset(v, (live as Record<string, unknown>)[k]),
    );
  }
  return desired === live;
}

/** Hash of a desired manifest, stored on the live object so an unchanged manifest needs no write. */
export function manifestHash(obj: KubernetesObject): string {
  return createHash('sha256').update(JSON.stringify(obj)).digest('hex').slice(0, 16);
}

/**
 * Compares a desired object (already carrying its applied-hash annotation) with the live one.
 * Synced needs both: the same manifest was last applied (so fields removed from Git are caught) and
 * no field it sets has drifted (so `kubectl edit` is caught).
 */
export function compareLive(
  desired: KubernetesObject,
  live: KubernetesObject | undefined,
): ResourceSyncStatus {
  if (!live) return 'Missing';
  const sameManifest =
    live.metadata?.annotations?.[APPLIED_HASH_ANNOTATION] ===
    desired.metadata?.annotations?.[APPLIED_HASH_ANNOTATION];
  return sameManifest && isSubset(desired, live) ? 'Synced' : 'OutOfSync';
}
