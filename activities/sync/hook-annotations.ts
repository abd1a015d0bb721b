// Hooks as Sluice, Argo CD and Helm annotate them, mapped onto Sluice's four hook phases with Argo CD's
// rules (its "Resource Hooks" and "Helm hooks" pages): Sluice's or Argo CD's annotation wins over Helm's;
// Skip, PostDelete and the Helm events Argo CD does not map (deletes, rollbacks, tests) are never applied.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { HookDeletePolicy, HookType } from '../../core/sync/types.js';
import { AnnotationError, objectName } from './annotation-error.js';

/** Sluice's hook annotation. */
export const HOOK_ANNOTATION = 'sluice.dev/hook';
/** Argo CD's hook annotation (comma-separated types). */
export const ARGOCD_HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
/** Helm's hook annotation (comma-separated events). */
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';
/** Sluice's hook delete policies (comma-separated, Argo CD's names). */
export const HOOK_DELETE_POLICY_ANNOTATION = 'sluice.dev/hook-delete-policy';
/** Argo CD's hook delete policies. */
export const ARGOCD_HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';
/** Helm's hook delete policies (before-hook-creation, hook-succeeded, hook-failed). */
export const HELM_HOOK_DELETE_POLICY_ANNOTATION = 'helm.sh/hook-delete-policy';

const PHASES: readonly string[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] satisfies HookType[];
// Skip: never applied. PostDelete: Argo CD runs it after the Application is deleted; Sluice does not run
// hooks on removal, so it is not applied during a sync either (as in Argo CD).
const NOT_APPLIED: readonly string[] = ['Skip', 'PostDelete'];

/** Helm hook events onto Sluice phases; null: not applied (Argo CD maps only install and upgrade). */
const HELM_EVENTS: Record<string, HookType | null> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
  'pre-delete': null,
  'post-delete': null,
  'pre-rollback': null,
  'post-rollback': null,
  test: null,
  'test-success': null,
  'test-failure': null,
};

const POLICIES: readonly string[] = [
  'BeforeHookCreation',
  'HookSucceeded',
  'HookFailed',
] satisfies HookDeletePolicy[];
const HELM_POLICIES: Record<string, HookDeletePolicy> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

/** What an object's hook annotations say: its phases if it is a hook, or that it is never applied. */
export interface HookAnnotations {
  /** The phases it runs in, in the order named (Argo CD runs a hook named for two phases in each); empty: not a hook. */
  hooks: HookType[];
  /** Never applied (Skip, PostDelete, or a Helm event Sluice does not run such as `test`). */
  skip: boolean;
}

const list = (raw: string | undefined) =>
  raw === undefined
    ? undefined
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** A hook's distinct phases; none (every event it names is one Sluice does not run) means it is never applied. */
function phasesOf(phases: HookType[]): HookAnnotations {
  const distinct = [...new Set(phases)];
  return distinct.length > 0 ? { hooks: distinct, skip: false } : { hooks: [], skip: true };
}

/** Reads Sluice's, Argo CD's and Helm's hook annotations; throws on an unknown Sluice or Argo CD value or a disagreement. */
export function hookOf(obj: KubernetesObject): HookAnnotations {
  const a = obj.metadata?.annotations ?? {};
  const own = list(a[HOOK_ANNOTATION]);
  const argo = list(a[ARGOCD_HOOK_ANNOTATION]);
  for (const [key, values] of [
    [HOOK_ANNOTATION, own],
    [ARGOCD_HOOK_ANNOTATION, argo],
  ] as const)
    for (const v of values ?? [])
      if (!PHASES.includes(v) && !NOT_APPLIED.includes(v))
        throw new AnnotationError(
          `${objectName(obj)}: ${key} must be one of ${[...PHASES, ...NOT_APPLIED].join(', ')}, got "${v}"`,
        );
  if (own && argo && [...own].sort().join() !== [...argo].sort().join())
    throw new AnnotationError(
      `${objectName(obj)}: ${HOOK_ANNOTATION} "${own.join(',')}" and ${ARGOCD_HOOK_ANNOTATION} "${argo.join(',')}" disagree: keep one`,
    );
  const chosen = own ?? argo;
  if (chosen) {
    if (chosen.includes('Skip')) return { hooks: [], skip: true };
    return phasesOf(chosen.filter((v) => PHASES.includes(v)) as HookType[]);
  }
  const helm = list(a[HELM_HOOK_ANNOTATION]);
  // crd-install (Helm 2) marks an ordinary object: Argo CD applies it as one.
  if (!helm || helm.every((e) => e === 'crd-install')) return { hooks: [], skip: false };
  // An event Helm may add later is not run, like the ones Argo CD does not map: a chart one cannot edit still syncs.
  const phases = helm.map((e) => HELM_EVENTS[e]).filter((p): p is HookType => !!p);
  return phasesOf(phases);
}

/** A hook's delete policies from all three annotations; BeforeHookCreation when none is given (Argo CD's and Helm's default). */
export function deletePoliciesOf(obj: KubernetesObject): HookDeletePolicy[] {
  const a = obj.metadata?.annotations ?? {};
  const out = new Set<HookDeletePolicy>();
  for (const key of [HOOK_DELETE_POLICY_ANNOTATION, ARGOCD_HOOK_DELETE_POLICY_ANNOTATION])
    for (const v of list(a[key]) ?? []) {
      if (!POLICIES.includes(v))
        throw new AnnotationError(
          `${objectName(obj)}: ${key} must be among ${POLICIES.join(', ')}, got "${v}"`,
        );
      out.add(v as HookDeletePolicy);
    }
  for (const v of list(a[HELM_HOOK_DELETE_POLICY_ANNOTATION]) ?? []) {
    const policy = HELM_POLICIES[v];
    if (!policy)
      throw new AnnotationError(
        `${objectName(obj)}: ${HELM_HOOK_DELETE_POLICY_ANNOTATION} must be among ${Object.keys(HELM_POLICIES).join(', ')}, got "${v}"`,
      );
    out.add(policy);
  }
  return out.size ? [...out] : ['BeforeHookCreation'];
}
