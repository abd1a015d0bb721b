import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { scopeFromRenderedCrds } from '../../../../activities/sync/resource-scope.js';

const crd = (group: string, kind: string, scope: string): KubernetesObject =>
  ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: { group, names: { kind }, scope },
  }) as KubernetesObject;

describe('scopeFromRenderedCrds', () => {
  it('answers the scope a CRD of the same render declares, by group and kind', () => {
    const objects = [crd('example.com', 'Widget', 'Cluster'), crd('example.com', 'Gadget', 'Namespaced')];
    expect(scopeFromRenderedCrds(objects, 'example.com/v1', 'Widget')).toBe('Cluster');
    expect(scopeFromRenderedCrds(objects, 'example.com/v1alpha1', 'Gadget')).toBe('Namespaced');
  });

  it('knows nothing of kinds no rendered CRD defines (the caller then fails, never guesses)', () => {
    const objects = [crd('example.com', 'Widget', 'Cluster')];
    expect(scopeFromRenderedCrds(objects, 'other.example.com/v1', 'Widget')).toBeUndefined();
    expect(scopeFromRenderedCrds(objects, 'example.com/v1', 'Gizmo')).toBeUndefined();
  });
});
