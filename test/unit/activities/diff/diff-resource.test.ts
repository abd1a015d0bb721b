import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { diffResource } from '../../../../activities/diff/diff-resource.js';
import { liveDeployment } from './fixtures.js';

const desired = (replicas: number): KubernetesObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'prod', annotations: { 'sluice.dev/applied-hash': 'new' } },
    spec: { replicas, selector: { matchLabels: { app: 'web' } } },
  }) as KubernetesObject;

/** What the server would return: defaults filled in, server metadata on it. */
const predicted = (replicas: number): KubernetesObject =>
  ({
    ...desired(replicas),
    metadata: {
      ...desired(replicas).metadata,
      uid: 'u',
      resourceVersion: '7',
      generation: 2,
      managedFields: [{ manager: 'sluice' }],
    },
    spec: {
      ...(desired(replicas) as { spec: object }).spec,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: { replicas: 2 },
  }) as KubernetesObject;

const live = (replicas: number): KubernetesObject =>
  ({
    ...predicted(replicas),
    metadata: {
      ...predicted(replicas).metadata,
      annotations: { 'sluice.dev/applied-hash': 'old' },
      uid: 'v',
    },
    status: { replicas: 1, readyReplicas: 1 },
  }) as KubernetesObject;

describe('diffResource', () => {
  it('is Synced with an empty diff when the prediction equals live, defaults and server fields aside', () => {
    expect(diffResource(desired(2), predicted(2), live(2), [])).toEqual({ status: 'Synced', diff: '' });
  });

  it('is OutOfSync with a diff from live to desired', () => {
    const { status, diff } = diffResource(desired(3), predicted(3), live(2), []);
    expect(status).toBe('OutOfSync');
    expect(diff).toContain('--- live apps/Deployment prod/web\n+++ desired apps/Deployment prod/web\n');
    expect(diff).toContain('\n-  replicas: 2\n+  replicas: 3\n');
    expect(diff).not.toMatch(/uid|resourceVersion|status|applied-hash|managedFields/);
  });

  it('is Missing without a live object, its diff the desired manifest as it will be applied', () => {
    const { status, diff } = diffResource(desired(3), predicted(3), undefined, []);
    expect(status).toBe('Missing');
    expect(diff).toContain('@@ -0,0 +');
    expect(diff).toContain('+  replicas: 3\n');
    expect(diff).not.toContain('revisionHistoryLimit');
  });

  it('compares the desired object itself when there is no prediction', () => {
    expect(diffResource(desired(2), undefined, live(2), []).status).toBe('OutOfSync');
    expect(diffResource(desired(2), undefined, undefined, []).status).toBe('Missing');
  });

  it('is Synced when the only difference is ignored by a JSON pointer', () => {
    const rule = { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] };
    expect(diffResource(desired(3), predicted(3), live(2), [rule])).toEqual({ status: 'Synced', diff: '' });
  });

  it('is Synced when the only differences are owned by an ignored manager', () => {
    const l = liveDeployment();
    const p = { ...liveDeployment(), spec: { ...liveDeployment().spec, replicas: 2 } } as KubernetesObject;
    expect(diffResource(p, p, l, []).status).toBe('OutOfSync');
    const rule = { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['hpa-controller'] };
    expect(diffResource(p, p, l, [rule])).toEqual({ status: 'Synced', diff: '' });
  });

  it('masks Secret values in the diff, showing only which changed', () => {
    const secret = (data: Record<string, string>): KubernetesObject =>
      ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'prod' },
        data,
      }) as KubernetesObject;
    const d = secret({ password: 'bmV3', user: 'YWRtaW4=', added: 'eA==' });
    const { status, diff } = diffResource(d, d, secret({ password: 'b2xk', user: 'YWRtaW4=' }), []);
    expect(status).toBe('OutOfSync');
    expect(diff).not.toMatch(/bmV3|b2xk|YWRtaW4=|eA==/);
    expect(diff.split('\n').slice(3, 9)).toEqual([
      ' apiVersion: v1',
      ' data:',
      '-  password: ++++++++',
      '+  added: +++++++++',
      '+  password: +++++++++',
      '   user: ++++++++',
    ]);
  });

  it('masks the values of a Secret still to create', () => {
    const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { token: 'hunter2' } };
    const { diff } = diffResource(s, s, undefined, []);
    expect(diff).not.toContain('hunter2');
    expect(diff).toContain('+  token: +++++++++\n');
  });

  it('does not mask a custom kind that happens to be called Secret', () => {
    const s = {
      apiVersion: 'example.com/v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: 'visible' },
    };
    expect(diffResource(s, s, undefined, []).diff).toContain('visible');
  });
});
