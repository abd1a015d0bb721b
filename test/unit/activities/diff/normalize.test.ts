import { describe, expect, it } from 'vitest';
import { normalize } from '../../../../activities/diff/normalize.js';

const live = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'web',
    namespace: 'prod',
    labels: { app: 'web' },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"color":"blue"}}',
      'sluice.dev/applied-hash': '0123456789abcdef',
      'sluice.dev/tracking-id': 'default/web',
    },
    managedFields: [{ manager: 'sluice', operation: 'Apply', fieldsV1: { 'f:data': {} } }],
    resourceVersion: '4242',
    uid: '9d4c6a6e-0000-4000-8000-000000000000',
    generation: 3,
    creationTimestamp: new Date('2026-01-01T00:00:00Z'),
    selfLink: '/api/v1/namespaces/prod/configmaps/web',
  },
  data: { color: 'blue' },
  status: { phase: 'whatever' },
};

describe('normalize', () => {
  it('strips what the server sets and keeps what a manifest declares', () => {
    expect(normalize(live)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'web',
        namespace: 'prod',
        labels: { app: 'web' },
        annotations: { 'sluice.dev/tracking-id': 'default/web' },
      },
      data: { color: 'blue' },
    });
  });

  it('drops the annotations map when only bookkeeping annotations were in it', () => {
    const obj = {
      ...live,
      metadata: { name: 'web', annotations: { 'sluice.dev/applied-hash': 'x' } },
    };
    expect(normalize(obj).metadata).toEqual({ name: 'web' });
  });

  it('returns plain JSON without undefined properties, leaving its input alone', () => {
    const input = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: undefined } };
    const out = normalize(input);
    expect(Object.keys(out.metadata ?? {})).toEqual(['name']);
    expect(normalize(live)).not.toBe(live);
    expect(live.metadata.uid).toBeDefined();
    expect(live.status).toBeDefined();
  });

  it('copes with an object that has no metadata', () => {
    expect(normalize({ apiVersion: 'v1', kind: 'List' })).toEqual({ apiVersion: 'v1', kind: 'List' });
  });
});
