import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  changeReason,
  lastWriter,
  settledHealth,
} from '../../../../../activities/kube/live-state/relevance.js';
import type { LiveEvent } from '../../../../../activities/kube/live-state/types.js';

const tracking = { 'sluice.dev/tracking-id': 'repo/web' };
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'web' };
const t = (s: number) => `2025-01-01T00:00:${String(s).padStart(2, '0')}Z`;

function dep(generation: number, extra: Partial<KubernetesObject['metadata']> = {}, status = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', generation, annotations: { ...tracking }, ...extra },
    spec: { replicas: 1 },
    status: {
      observedGeneration: generation,
      replicas: 1,
      updatedReplicas: 1,
      availableReplicas: 1,
      ...status,
    },
  } as KubernetesObject;
}
const modified = (previous: KubernetesObject, object: KubernetesObject): LiveEvent => ({
  type: 'MODIFIED',
  ref,
  object,
  previous,
});
const writer = (manager: string, second: number, subresource?: string) => ({
  manager,
  operation: 'Update',
  time: t(second) as unknown as Date,
  ...(subresource ? { subresource } : {}),
});

describe('changeReason', () => {
  it('ignores objects without the tracking annotation', () => {
    const a = dep(1, { annotations: {} });
    expect(changeReason({ type: 'DELETED', ref, object: a, previous: a }, false)).toBeUndefined();
  });

  it('reports a deletion, and a health change', () => {
    const a = dep(1);
    expect(changeReason({ type: 'DELETED', ref, object: a, previous: a }, false)).toBe('deleted');
    expect(changeReason(modified(a, dep(1, {}, { availableReplicas: 0 })), true)).toBe('health');
  });

  it('never reports ADDED (the first list adds everything)', () => {
    expect(changeReason({ type: 'ADDED', ref, object: dep(1) }, false)).toBeUndefined();
  });

  it('reports a foreign spec write, but not one of Sluice', () => {
    const before = dep(1, { managedFields: [writer('sluice', 1)] });
    const kubectl = dep(2, { managedFields: [writer('sluice', 1), writer('kubectl-patch', 5)] });
    expect(changeReason(modified(before, kubectl), false)).toBe('spec');
    const own = dep(2, { managedFields: [writer('sluice', 5), writer('kubectl-patch', 3)] });
    expect(changeReason(modified(before, own), false)).toBeUndefined();
  });

  it('counts a tie in the newest second as foreign, and ignores status writes when finding the writer', () => {
    const tie = dep(1, { managedFields: [writer('sluice', 5), writer('kubectl-edit', 5)] });
    expect(lastWriter(tie)).toBeUndefined();
    const status = dep(1, {
      managedFields: [writer('sluice', 5), writer('kube-controller-manager', 6, 'status')],
    });
    expect(lastWriter(status)).toBe('sluice');
  });

  it('reports changed labels or annotations, not a status-only change', () => {
    const a = dep(1);
    expect(changeReason(modified(a, dep(1, { labels: { x: 'y' } })), false)).toBe('metadata');
    expect(changeReason(modified(a, dep(1, { annotations: { ...tracking, x: 'y' } })), false)).toBe(
      'metadata',
    );
    expect(
      changeReason(modified(a, dep(1, { resourceVersion: '9' }, { readyReplicas: 1 })), false),
    ).toBeUndefined();
  });

  it('for kinds without a generation, reports content changes but not write bookkeeping', () => {
    const cm = (data: Record<string, string>, rv: string, second: number): KubernetesObject =>
      ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'c',
          annotations: { ...tracking },
          resourceVersion: rv,
          managedFields: [writer('x', second)],
        },
        data,
      }) as KubernetesObject;
    expect(changeReason(modified(cm({ a: '1' }, '1', 1), cm({ a: '2' }, '2', 2)), false)).toBe('content');
    expect(changeReason(modified(cm({ a: '1' }, '1', 1), cm({ a: '1' }, '2', 2)), false)).toBeUndefined();
  });
});

describe('settledHealth', () => {
  it('is undefined while the controller has not observed the newest generation', () => {
    expect(settledHealth(dep(2, {}, { observedGeneration: 1 }))).toBeUndefined();
    expect(settledHealth(dep(2))).toBe('Healthy');
    expect(settledHealth(dep(2, {}, { availableReplicas: 0, unavailableReplicas: 1 }))).toBe('Progressing');
  });
});
