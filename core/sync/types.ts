// Types shared by the sync activities and the sync workflow (which imports them as types only).
import type { ResourceRef } from '../resource-ref.js';

/** Sync hooks, as Argo CD names them. */
export type HookType = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';

/** When a hook object is deleted, as Argo CD names the policies. */
export type HookDeletePolicy = 'BeforeHookCreation' | 'HookSucceeded' | 'HookFailed';

/** One rendered object's place in the sync: its wave and whether it is a hook. */
export interface PlannedResource {
  ref: ResourceRef;
  wave: number;
  hook?: HookType;
  /** A hook's delete policies (BeforeHookCreation when none is annotated, as Argo CD and Helm default). */
  deletePolicies?: HookDeletePolicy[];
  /** False when annotated not to be pruned (sluice.dev/prune, Argo CD's Prune=false, Flux's prune: disabled). */
  prunable: boolean;
  /** Flux's ssa: Ignore in Git: never written, so never awaited nor owned, yet kept out of prune as it is in Git. */
  ignored?: true;
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
