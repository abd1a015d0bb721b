import type { KubernetesObject } from '@kubernetes/client-node';
import type { HookType } from '../../core/sync/types.js';
import { AnnotationError, objectName } from './annotation-error.js';
import { HOOK_ANNOTATION, hookOf } from './hook-annotations.js';

export { AnnotationError, HOOK_ANNOTATION, objectName };

/** Label on every object Sluice applies: the owning application, for humans and selectors. */
export const APP_LABEL = 'app.sluice.dev/name';
/** Annotation naming the exact owner (`<project>/<app>`); prune deletes only objects that carry its own. */
export const TRACKING_ANNOTATION = 'sluice.dev/tracking-id';
/** Annotation holding a hash of the desired manifest, so an unchanged object needs no write. */
export const APPLIED_HASH_ANNOTATION = 'sluice.dev/applied-hash';
/** Sync wave (integer; default 0): each wave is healthy before the next starts. */
export const SYNC_WAVE_ANNOTATION = 'sluice.dev/sync-wave';
/** Argo CD's sync wave, read as Sluice's own. */
export const ARGOCD_SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Helm's hook weight: the wave when no sync-wave annotation is set (Argo CD reads it so). */
export const HELM_HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
/** `"false"` keeps an object when it leaves Git. */
export const PRUNE_ANNOTATION = 'sluice.dev/prune';

const integer = (obj: KubernetesObject, key: string): number | undefined => {
  const raw = obj.metadata?.annotations?.[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n))
    throw new AnnotationError(`${objectName(obj)}: ${key} must be an integer, got "${raw}"`);
  return n;
};

/**
 * The object's sync wave: sluice.dev/sync-wave or argocd.argoproj.io/sync-wave (both set and different is an
 * error), else helm.sh/hook-weight, else 0 — Argo CD's precedence.
 */
export function syncWave(obj: KubernetesObject): number {
  const own = integer(obj, SYNC_WAVE_ANNOTATION);
  const argo = integer(obj, ARGOCD_SYNC_WAVE_ANNOTATION);
  if (own !== undefined && argo !== undefined && own !== argo)
    throw new AnnotationError(
      `${objectName(obj)}: ${SYNC_WAVE_ANNOTATION} "${own}" and ${ARGOCD_SYNC_WAVE_ANNOTATION} "${argo}" disagree: keep one`,
    );
  return own ?? argo ?? integer(obj, HELM_HOOK_WEIGHT_ANNOTATION) ?? 0;
}

/** The object's first hook phase (Sluice's, Argo CD's or Helm's annotation), undefined for a normal resource; throws on an unknown value. */
export function hookType(obj: KubernetesObject): HookType | undefined {
  return hookOf(obj).hooks[0];
}
