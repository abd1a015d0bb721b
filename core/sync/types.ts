// Types shared by the sync activities and the sync workflow (which imports them as types only).

/** Identifies one Kubernetes object. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Sync hooks, as Argo CD names them. */
export type HookType = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';

/** One rendered object's place in the sync: its wave and whether it is a hook. */
export interface PlannedResource {
  ref: ResourceRef;
  wave: number;
  hook?: HookType;
  /** False when annotated sluice.dev/prune: "false". */
  prunable: boolean;
}

/** What the workflow needs to know about a render; the objects themselves stay in the worker's render store. */
export interface RenderedApplication {
  renderKey: string;
  revision: string;
  resources: PlannedResource[];
}

/** Per-object comparison of desired and live state. */
export type ResourceSyncStatus = 'Synced' | 'OutOfSync' | 'Missing';

/** Outcome of applying some objects. */
export interface ApplyResult {
  applied: { ref: ResourceRef; status: ResourceSyncStatus; changed: boolean }[];
}

/** A short, human form of a reference: "apps/Deployment web/api". */
export function refString(ref: ResourceRef): string {
  const group = ref.apiVersion.includes('/') ? `${ref.apiVersion.split('/')[0]}/` : '';
  return `${group}${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Identity of an object across API versions of its kind: group, kind, namespace and name. */
export function refKey(ref: ResourceRef): string {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return `${group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}
