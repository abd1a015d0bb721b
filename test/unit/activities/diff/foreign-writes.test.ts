import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { foreignFieldOwners, overlaps } from '../../../../activities/diff/foreign-writes.js';

const desired: KubernetesObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
} as KubernetesObject;

const live = (managedFields: unknown[]): KubernetesObject =>
  ({ ...desired, metadata: { ...desired.metadata, managedFields } }) as KubernetesObject;

const sluice = { manager: 'sluice', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
// What kube-controller-manager writes on every Deployment: an annotation of its own and the status.
const controller = {
  manager: 'kube-controller-manager',
  operation: 'Update',
  fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } } },
};
const controllerStatus = {
  manager: 'kube-controller-manager',
  operation: 'Update',
  subresource: 'status',
  fieldsV1: { 'f:status': { 'f:replicas': {} } },
};

describe('foreignFieldOwners', () => {
  it('finds no foreign owner when only controllers wrote fields Sluice does not set', () => {
    expect(foreignFieldOwners(live([sluice, controller, controllerStatus]), desired)).toEqual([]);
  });

  it('names the manager of a kubectl patch of a field Sluice sets', () => {
    const patch = {
      manager: 'kubectl-patch',
      operation: 'Update',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    };
    expect(foreignFieldOwners(live([sluice, controller, patch]), desired)).toEqual(['kubectl-patch']);
  });

  it('counts a write into a list Sluice sets (kubectl set image)', () => {
    const setImage = {
      manager: 'kubectl-set',
      operation: 'Update',
      fieldsV1: {
        'f:spec': {
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } },
        },
      },
    };
    expect(foreignFieldOwners(live([sluice, setImage]), desired)).toEqual(['kubectl-set']);
  });

  it('leaves out fields and managers the ignore rules exclude', () => {
    const hpa = {
      manager: 'hpa',
      operation: 'Update',
      subresource: 'scale',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    };
    expect(foreignFieldOwners(live([sluice, hpa]), desired)).toEqual(['hpa']);
    expect(
      foreignFieldOwners(live([sluice, hpa]), desired, [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      ]),
    ).toEqual([]);
    expect(
      foreignFieldOwners(live([sluice, hpa]), desired, [
        { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['hpa'] },
      ]),
    ).toEqual([]);
  });

  it('cannot decide without managedFields', () => {
    expect(foreignFieldOwners(desired, desired)).toBeUndefined();
  });
});

describe('overlaps', () => {
  it('treats "." as the node existing, not as its content', () => {
    expect(overlaps({ 'f:labels': { '.': {}, 'f:other': {} } }, { labels: { app: 'web' } })).toBe(false);
    expect(overlaps({ 'f:labels': { '.': {}, 'f:app': {} } }, { labels: { app: 'web' } })).toBe(true);
  });
});
