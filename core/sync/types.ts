// Types shared by the sync activities and the sync workflow (which imports them as types only).
import type { ResourceRef } from '../resource-ref.js';

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
