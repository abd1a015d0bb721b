import { describe, expect, it } from 'vitest';
import type { AppRecord } from '../../../workflows/repo-watcher/messages.js';
import {
  mayRemove,
  mayUpdate,
  preserves,
  type SetPolicy,
} from '../../../workflows/repo-watcher/set-policy.js';

const record = (policy?: SetPolicy['policy'], preserve = false): AppRecord => ({
  name: 'a',
  project: 'default',
  revision: 'r',
  specHash: 'h',
  ...(policy ? { generatedBy: { set: 'default/s', policy, preserve } } : {}),
});
const sets = (policy: SetPolicy['policy'], preserve = false) =>
  new Map<string, SetPolicy>([['default/s', { set: 'default/s', policy, preserve }]]);

describe('ApplicationSet policy in the watcher', () => {
  it('updates unless create-only or create-delete; written Applications always', () => {
    expect(
      [undefined, 'sync', 'create-update', 'create-only', 'create-delete'].map((p) =>
        mayUpdate(record(p as never)),
      ),
    ).toEqual([true, true, true, false, false]);
  });

  it('removes unless create-only or create-update, by the set’s policy now; a deleted set takes its Applications', () => {
    for (const [policy, removed] of [
      ['sync', true],
      ['create-delete', true],
      ['create-only', false],
      ['create-update', false],
    ] as const)
      expect(mayRemove(record('sync'), sets(policy))).toBe(removed);
    expect(mayRemove(record('create-only'), new Map())).toBe(true);
    expect(mayRemove(record(), sets('create-only'))).toBe(true);
  });

  it('preserves objects per the set’s policy now, or as recorded once the set is gone', () => {
    expect(preserves(record('sync', false), sets('sync', true))).toBe(true);
    expect(preserves(record('sync', true), sets('sync', false))).toBe(false);
    expect(preserves(record('sync', true), new Map())).toBe(true);
    expect(preserves(record(), sets('sync', true))).toBe(false);
    expect(preserves(undefined, new Map())).toBe(false);
  });
});
