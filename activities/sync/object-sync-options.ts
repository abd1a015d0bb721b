// Per-object sync options as Argo CD (argocd.argoproj.io/sync-options) and Flux (kustomize.toolkit.fluxcd.io/*)
// annotate them. Argo CD ignores an option it does not know; Sluice refuses it, naming the object, because a
// typo there ("Prune=flase") would otherwise silently prune or overwrite what the author meant to protect.
// Options of Argo CD's list that change nothing here (Sluice always applies server-side, validates on the
// server, prunes last and runs no client dry run) are accepted.
import type { KubernetesObject } from '@kubernetes/client-node';
import { AnnotationError, objectName } from './annotation-error.js';

/** Argo CD's per-object sync options (comma-separated). */
export const ARGOCD_SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** Flux: `disabled` keeps the object when it leaves Git or its Kustomization is deleted. */
export const FLUX_PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
/** Flux's apply policy: Override (default), Merge, IfNotPresent, Ignore. */
export const FLUX_SSA_ANNOTATION = 'kustomize.toolkit.fluxcd.io/ssa';

/** How one object is applied and deleted, from its annotations. */
export interface ObjectSyncOptions {
  /** False: never pruned when it leaves Git (Argo CD Prune=false or Prune=confirm; Flux prune: disabled). */
  prune: boolean;
  /** False: kept when its Application is removed (Argo CD Delete=false or Delete=confirm; Flux prune: disabled). */
  deleteOnRemoval: boolean;
  /** Written with a replace (PUT of the whole object) instead of a server-side apply (Argo CD Replace=true). */
  replace: boolean;
  /** Deleted and created again when it changed (Argo CD Force=true with Replace=true). */
  force: boolean;
  /** Created when absent, never updated (Flux ssa: IfNotPresent). */
  ifNotPresent: boolean;
  /** Never written (Flux ssa: Ignore). */
  ignore: boolean;
}

// Argo CD options that need nothing from Sluice: it always applies server-side (so ServerSideApply=true is
// what it does anyway, and =false is not offered), never runs a client-side dry run or validation of its own,
// and always prunes after every wave and hook.
const NO_EFFECT = new Set([
  'ServerSideApply=true',
  'Validate=false',
  'Validate=true',
  'SkipDryRunOnMissingResource=true',
  'SkipDryRunOnMissingResource=false',
  'PruneLast=true',
  'PruneLast=false',
  'ClientSideApplyMigration=true',
  'ClientSideApplyMigration=false',
  'Prune=true',
  'Delete=true',
  'Replace=false',
  'Force=false',
]);

const SSA_POLICIES = ['Override', 'Merge', 'IfNotPresent', 'Ignore'];

/** Parses the annotations; `unknown` lists the Argo CD options and Flux values Sluice does not know. */
export function parseObjectSyncOptions(annotations: Record<string, string> | undefined): {
  options: ObjectSyncOptions;
  unknown: string[];
} {
  const a = annotations ?? {};
  const argo = (a[ARGOCD_SYNC_OPTIONS_ANNOTATION] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const has = (...opts: string[]) => opts.some((o) => argo.includes(o));
  const fluxKeeps = a[FLUX_PRUNE_ANNOTATION] === 'disabled';
  const ssa = a[FLUX_SSA_ANNOTATION];
  const known = new Set([
    ...NO_EFFECT,
    'Prune=false',
    'Prune=confirm',
    'Delete=false',
    'Delete=confirm',
    'Replace=true',
    'Force=true',
  ]);
  const unknown = argo.filter((o) => !known.has(o));
  if (ssa !== undefined && !SSA_POLICIES.includes(ssa)) unknown.push(`${FLUX_SSA_ANNOTATION}: ${ssa}`);
  return {
    options: {
      // "confirm" waits for a person in Argo CD; Sluice has no such prompt, so it keeps the object (the safe side).
      prune: !fluxKeeps && !has('Prune=false', 'Prune=confirm'),
      deleteOnRemoval: !fluxKeeps && !has('Delete=false', 'Delete=confirm'),
      replace: has('Replace=true'),
      force: has('Force=true') && has('Replace=true'),
      ifNotPresent: ssa === 'IfNotPresent',
      ignore: ssa === 'Ignore',
    },
    unknown,
  };
}

/** The object's sync options; throws naming the object when an option is unknown. */
export function objectSyncOptions(obj: KubernetesObject): ObjectSyncOptions {
  const { options, unknown } = parseObjectSyncOptions(obj.metadata?.annotations);
  if (unknown.length)
    throw new AnnotationError(
      `${objectName(obj)}: unknown sync option(s) ${unknown.map((u) => `"${u}"`).join(', ')} (${ARGOCD_SYNC_OPTIONS_ANNOTATION} takes Argo CD's per-resource options; ${FLUX_SSA_ANNOTATION} takes ${SSA_POLICIES.join(', ')})`,
    );
  return options;
}

/**
 * Whether an object's apply policy leaves the live one as it is, so a comparison must call it Synced whatever
 * its content: Flux's ssa Ignore (in Git or on the live object), or IfNotPresent once the object exists.
 * Without this, a hand-filled IfNotPresent object would read as drift forever and self-heal would loop.
 */
export function leftAsIs(desired: KubernetesObject, live: KubernetesObject | undefined): boolean {
  const own = parseObjectSyncOptions(desired.metadata?.annotations).options;
  if (own.ignore || parseObjectSyncOptions(live?.metadata?.annotations).options.ignore) return true;
  return own.ifNotPresent && live !== undefined;
}
