import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../../../activities/kube/live-state/backoff.js';
import { isNewer } from '../../../../../activities/kube/live-state/resource-version.js';
import { toWire } from '../../../../../activities/kube/live-state/wire.js';

const at = (resourceVersion?: string) => ({
  metadata: { name: 'x', ...(resourceVersion ? { resourceVersion } : {}) },
});

describe('isNewer', () => {
  it('compares resourceVersions as integers (not strings) when both parse', () => {
    expect(isNewer(at('10'), at('9'))).toBe(true);
    expect(isNewer(at('9'), at('10'))).toBe(false);
    expect(isNewer(at('10'), at('10'))).toBe(false);
  });
  it('otherwise lets a different version win', () => {
    expect(isNewer(at('b'), at('a'))).toBe(true);
    expect(isNewer(at('a'), at('a'))).toBe(false);
    expect(isNewer(at('1'), undefined)).toBe(true);
  });
});

describe('backoffMs', () => {
  it('grows from 0.5 s to at most 30 s, never below half the step', () => {
    expect(backoffMs(1, () => 0)).toBe(250);
    expect(backoffMs(1, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(2_000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
    expect(backoffMs(20, () => 0)).toBe(15_000);
  });
});

describe('toWire', () => {
  it('turns a model instance Date back into the API server form', () => {
    const wire = toWire({ metadata: { name: 'x', creationTimestamp: new Date('2025-01-02T03:04:05Z') } });
    expect(wire.metadata?.creationTimestamp).toBe('2025-01-02T03:04:05Z');
  });
});
