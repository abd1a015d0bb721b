// Pure: what an ApplicationSet's syncPolicy lets the watcher do to an Application the set generated
// (Argo CD's applicationsSync). Hand-written Applications are always updated and removed.
import type { AppRecord } from './messages.js';

/** The part of a set's policy the watcher's record of a generated Application keeps. */
export type SetPolicy = NonNullable<AppRecord['generatedBy']>;

/** Whether a changed generated Application gets its new spec (not under create-only or create-delete). */
export function mayUpdate(record: AppRecord): boolean {
  const policy = record.generatedBy?.policy;
  return policy !== 'create-only' && policy !== 'create-delete';
}

/**
 * Whether an Application no longer generated is stopped: always when its set is gone (as Argo CD deletes a
 * deleted set's Applications), else not under create-only or create-update.
 */
export function mayRemove(record: AppRecord, sets: ReadonlyMap<string, SetPolicy>): boolean {
  const by = record.generatedBy && sets.get(record.generatedBy.set);
  if (!by) return true;
  return by.policy !== 'create-only' && by.policy !== 'create-update';
}

/** Whether a removed generated Application leaves its objects: its set's policy now, or (set gone) as last recorded. */
export function preserves(record: AppRecord | undefined, sets: ReadonlyMap<string, SetPolicy>): boolean {
  const by = record?.generatedBy;
  return (by && (sets.get(by.set) ?? by).preserve) === true;
}
