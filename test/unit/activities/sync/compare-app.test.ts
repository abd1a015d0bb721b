import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { quickCompare, sameShape } from '../../../../activities/sync/compare-app.js';
import { leftAsIs } from '../../../../activities/sync/object-sync-options.js';

const hash = { 'sluice.dev/applied-hash': 'abc' };
const spec = { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'web' } };
const desired = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', annotations: hash },
  spec,
} as KubernetesObject;
const sluiceOwns = { manager: 'sluice', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:ports': {} } } };

function liveWith(
  spec: unknown,
  managedFields: unknown[] = [sluiceOwns],
  annotations = hash,
): KubernetesObject {
  return { ...desired, metadata: { name: 'web', annotations, managedFields }, spec } as KubernetesObject;
}

describe('quickCompare', () => {
  it('is Synced when every value matches', () => {
    expect(quickCompare(desired, liveWith(spec), [])).toBe('Synced');
  });

  it('is Synced when only defaulting differs and no one else owns a field Sluice sets', () => {
    // The server stored targetPort as a string: a plain comparison would call this drift.
    const live = liveWith({
      ports: [{ port: 80, targetPort: '8080', protocol: 'TCP' }],
      selector: { app: 'web' },
    });
    expect(quickCompare(desired, live, [])).toBe('Synced');
  });

  it('is a suspect when another manager owns a field Sluice sets', () => {
    const edit = {
      manager: 'kubectl-edit',
      operation: 'Update',
      fieldsV1: { 'f:spec': { 'f:selector': { 'f:app': {} } } },
    };
    const live = liveWith({ ports: spec.ports, selector: { app: 'other' } }, [sluiceOwns, edit]);
    expect(quickCompare(desired, live, [])).toBe('suspect');
  });

  it('is a suspect when a field Sluice set was removed', () => {
    expect(quickCompare(desired, liveWith({ ports: spec.ports }), [])).toBe('suspect');
  });

  it('is a suspect when another manifest was applied, or the object is missing', () => {
    expect(
      quickCompare(desired, liveWith(spec, [sluiceOwns], { 'sluice.dev/applied-hash': 'old' }), []),
    ).toBe('suspect');
    expect(quickCompare(desired, undefined, [])).toBe('suspect');
  });
});

describe('sameShape', () => {
  it('accepts nulls and empty values the server drops, and refuses a missing key or a shorter list', () => {
    expect(sameShape({ a: null, b: {}, c: [] }, {})).toBe(true);
    expect(sameShape({ a: 1 }, {})).toBe(false);
    expect(sameShape({ a: [1, 2] }, { a: [1] })).toBe(false);
    expect(sameShape({ a: { b: 1 } }, { a: { b: '1' } })).toBe(true);
  });
});

describe('leftAsIs', () => {
  const ssa = (policy: string, obj: KubernetesObject = desired): KubernetesObject => ({
    ...obj,
    metadata: { ...obj.metadata, annotations: { 'kustomize.toolkit.fluxcd.io/ssa': policy } },
  });
  const edited = liveWith({ ports: spec.ports, selector: { app: 'edited by hand' } });

  it('calls an IfNotPresent object that exists in sync whatever its content, and one that is missing not', () => {
    expect(leftAsIs(ssa('IfNotPresent'), edited)).toBe(true);
    expect(leftAsIs(ssa('IfNotPresent'), undefined)).toBe(false);
  });

  it('calls an Ignore object in sync, whether Git or the live object carries the annotation', () => {
    expect(leftAsIs(ssa('Ignore'), edited)).toBe(true);
    expect(leftAsIs(desired, ssa('Ignore', edited))).toBe(true);
  });

  it('leaves every other object to the comparison', () => {
    expect(leftAsIs(desired, edited)).toBe(false);
    expect(leftAsIs(ssa('Override'), edited)).toBe(false);
  });
});
