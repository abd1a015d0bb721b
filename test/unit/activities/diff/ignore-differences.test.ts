import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { IgnoreRuleError } from '../../../../activities/diff/errors.js';
import {
  applyIgnoreDifferences,
  ruleMatches,
  validateIgnoreRules,
} from '../../../../activities/diff/ignore-differences.js';
import { normalize } from '../../../../activities/diff/normalize.js';
import { groupOf } from '../../../../activities/diff/ref.js';
import { liveDeployment } from './fixtures.js';

const deployment: KubernetesObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod' },
};
const configMap: KubernetesObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } };

describe('groupOf', () => {
  it.each([
    ['apps/v1', 'apps'],
    ['v1', ''],
    ['networking.k8s.io/v1', 'networking.k8s.io'],
    [undefined, ''],
  ])('%s → %j', (apiVersion, group) => {
    expect(groupOf(apiVersion)).toBe(group);
  });
});

describe('ruleMatches (Argo CD semantics)', () => {
  it.each([
    [{ group: 'apps', kind: 'Deployment' }, deployment, true],
    [{ group: 'apps', kind: 'Deployment', name: 'web', namespace: 'prod' }, deployment, true],
    [{ group: 'apps', kind: 'Deployment', name: 'api' }, deployment, false],
    [{ group: 'apps', kind: 'Deployment', namespace: 'staging' }, deployment, false],
    [{ group: 'apps', kind: 'StatefulSet' }, deployment, false],
    [{ group: '*', kind: '*' }, deployment, true],
    [{ group: '*', kind: 'Deploy*' }, deployment, true],
    // An omitted group is the core group, as in Argo CD: it does not match apps.
    [{ kind: 'Deployment' }, deployment, false],
    [{ kind: 'ConfigMap' }, configMap, true],
    [{ group: '', kind: 'ConfigMap' }, configMap, true],
    [{ group: 'apps', kind: 'ConfigMap' }, configMap, false],
    [{ group: '*', kind: 'ConfigMap' }, configMap, true],
    [{ group: '*.k8s.io', kind: 'Ingress' }, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' }, true],
  ])('%j on %j → %s', (rule, obj, expected) => {
    expect(ruleMatches(rule, obj)).toBe(expected);
  });
});

describe('applyIgnoreDifferences', () => {
  const desired = () => {
    const d = normalize(liveDeployment()) as ReturnType<typeof liveDeployment>;
    d.spec.replicas = 2;
    return d;
  };

  it('removes JSON pointers from both sides', () => {
    const live = liveDeployment();
    const sides = [normalize(live), desired()];
    applyIgnoreDifferences(
      [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
      live,
      sides,
    );
    for (const side of sides) expect((side as { spec: object }).spec).not.toHaveProperty('replicas');
  });

  it('removes from both sides what the named managers own in the live object', () => {
    const live = liveDeployment();
    const sides = [normalize(live), desired()];
    applyIgnoreDifferences(
      [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['hpa-controller', 'kubectl-set'] }],
      live,
      sides,
    );
    expect(sides[0]).toEqual(sides[1]);
    expect((sides[0] as { spec: object }).spec).not.toHaveProperty('replicas');
  });

  it('leaves objects no rule matches alone', () => {
    const live = liveDeployment();
    const sides = [normalize(live), desired()];
    applyIgnoreDifferences(
      [
        { group: 'apps', kind: 'Deployment', name: 'other', jsonPointers: ['/spec/replicas'] },
        { kind: 'Deployment', managedFieldsManagers: ['hpa-controller'] },
      ],
      live,
      sides,
    );
    expect(sides.map((s) => (s as { spec: { replicas: number } }).spec.replicas)).toEqual([5, 2]);
  });

  it('applies pointers to a desired object with no live one, and needs no managedFields for it', () => {
    const d = desired();
    applyIgnoreDifferences(
      [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'], managedFieldsManagers: ['x'] }],
      undefined,
      [d],
    );
    expect(d.spec).not.toHaveProperty('replicas');
  });
});

describe('validateIgnoreRules', () => {
  it('accepts good rules', () => {
    expect(() =>
      validateIgnoreRules([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]),
    ).not.toThrow();
  });

  it.each([
    [{ kind: '' }],
    [{ kind: 'Deployment', jsonPointers: ['spec/replicas'] }],
    [{ kind: 'Deployment', jsonPointers: [''] }],
    [{ kind: 'Deployment', jsonPointers: ['/a~9'] }],
  ])('rejects %j', (rule) => {
    expect(() => validateIgnoreRules([rule])).toThrow(IgnoreRuleError);
  });
});
