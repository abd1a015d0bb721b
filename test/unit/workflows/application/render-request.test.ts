import { describe, expect, it } from 'vitest';
import { readsCluster } from '../../../../core/sync/reads-cluster.js';
import { type AppSpec, renderRequest } from '../../../../workflows/application/policy.js';

const valuesFrom = [{ kind: 'ConfigMap' as const, name: 'v' }];
const chart = { repoURL: 'oci://r/charts', chart: 'web', targetRevision: '1.0.0' };
const values = { repoURL: 'https://git/values', targetRevision: 'main', ref: 'values' };

describe('render request of an Application', () => {
  it('a single Git source reading the cluster names the destination cluster last, as before', () => {
    const spec: AppSpec = {
      source: { repoURL: 'https://git/app', path: 'chart', render: { plugin: 'helm', valuesFrom } },
      destination: { namespace: 'web', cluster: 'east' },
    };
    const req = renderRequest('web', spec, 'abc');
    expect(Object.keys(req).at(-1)).toBe('cluster');
    expect(req.cluster).toBe('east');
    expect(
      renderRequest('web', { ...spec, source: { repoURL: 'https://git/app' } }, 'abc'),
    ).not.toHaveProperty('cluster');
  });

  it('any source of several with valuesFrom reads the cluster, not only the first', () => {
    const spec: AppSpec = {
      sources: [values, { ...chart, render: { plugin: 'helm', valuesFrom } }],
      destination: { namespace: 'web' },
    };
    const req = renderRequest('web', spec, 'sha1,1.0.0');
    expect(req.cluster).toBe('in-cluster');
    expect(req.sources?.map((s) => s.revision)).toEqual(['sha1', '1.0.0']);
    expect(readsCluster(req)).toBe(true);
    const plain = renderRequest('web', { ...spec, sources: [values, chart] }, 'sha1,1.0.0');
    expect(plain).not.toHaveProperty('cluster');
    expect(readsCluster(plain)).toBe(false);
    // The first source's render alone does not decide for a request with sources.
    expect(readsCluster({ render: { plugin: 'helm', valuesFrom }, sources: [{}] })).toBe(false);
    expect(
      readsCluster({ postBuild: { substituteFrom: [{ kind: 'Secret', name: 's' }] }, sources: [] }),
    ).toBe(true);
  });
});
