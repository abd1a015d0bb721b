import type { KubernetesObject } from '@kubernetes/client-node';
import type { HookType } from '../../core/sync/types.js';

/** Label on every object Sluice applies: the owning application, for humans and selectors. */
export const APP_LABEL = 'app.sluice.dev/name';
/** Annotation naming the exact owner (`<project>/<app>`); prune deletes only objects that carry its own. */
export const TRACKING_ANNOTATION = 'sluice.dev/tracking-id';
/** Annotation holding a hash of the desired manifest, so an unchanged object needs no write. */
export const APPLIED_HASH_ANNOTATION = 'sluice.dev/applied-hash';
/** Sync wave (integer; default 0): each wave is healthy before the next starts. */
export const SYNC_WAVE_ANNOTATION = 'sluice.dev/sync-wave';
/** Hook type: PreSync, Sync, PostSync or SyncFail. */
export const HOOK_ANNOTATION = 'sluice.dev/hook';
/** `"false"` keeps an object when it leaves Git. */
export const PRUNE_ANNOTATION = 'sluice.dev/prune';

const HOOKS: HookType[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

/** The object's sync wave, or throws naming the object when the annotation is not an integer. */
export function syncWave(obj: KubernetesObject): number {
  const raw = obj.metadata?.annotations?.[SYNC_WAVE_ANNOTATION];
  if (raw === undefined) return 0;
  const wave = Number(raw);
  if (!Number.isInteger(wave)) {
    throw new Error(
      `${obj.kind} ${obj.metadata?.name}: ${SYNC_WAVE_ANNOTATION} must be an integer, got "${raw}"`,
    );
  }
  return wave;
}

/** The object's hook type, undefined for a normal resource; throws on an unknown value. */
export function hookType(obj: KubernetesObject): HookType | undefined {
  const raw = obj.metadata?.annotations?.[HOOK_ANNOTATION];
  if (raw === undefined) return undefined;
  if (!HOOKS.includes(raw as HookType)) {
    throw new Error(
      `${obj.kind} ${obj.metadata?.name}: ${HOOK_ANNOTATION} must be one of ${HOOKS.join(', ')}, got "${raw}"`,
    );
  }
  return raw as HookType;
}
