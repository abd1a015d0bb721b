// Types of the diff step, shared with the workflows (which import them as types only).

import type { ResourceRef } from '../resource-ref.js';
import type { ResourceSyncStatus } from '../sync/types.js';

/** Per-object outcome of a diff: the sync statuses, plus live objects of the app that are no longer desired. */
export type DiffStatus = ResourceSyncStatus | 'Extraneous';

/**
 * Differences to ignore for matching objects, as Argo CD's `ignoreDifferences` entries: `group` and
 * `kind` may use `*` globs (an omitted group is the core group), `name` and `namespace` match exactly
 * when given.
 */
export interface IgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** RFC 6901 pointers removed from both sides, e.g. `/spec/replicas`. */
  jsonPointers?: string[];
  /** Fields owned by these managers in the live object's managedFields are removed from both sides. */
  managedFieldsManagers?: string[];
}

/** Outcome of diffing one object. */
export interface ResourceDiff {
  status: ResourceSyncStatus;
  /** Unified diff from live to desired; empty when Synced. */
  diff: string;
}

/** One object's line in an application diff. */
export interface AppResourceDiff {
  ref: ResourceRef;
  status: DiffStatus;
  diff: string;
}

/** Outcome of diffing an application: one entry per desired object, then the extraneous ones. */
export interface ApplicationDiff {
  resources: AppResourceDiff[];
}
