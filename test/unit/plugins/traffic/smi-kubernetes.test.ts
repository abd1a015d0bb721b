import { describe, expect, it } from 'vitest';
import { sameSelector } from '../../../../plugins/traffic/kubernetes.js';
import { splitRoutes, splitWeight, trafficSplit } from '../../../../plugins/traffic/smi.js';
import { target } from './target.js';

describe('smi TrafficSplit', () => {
  it('splits the apex between primary and canary', () => {
    expect(
      trafficSplit('split.smi-spec.io/v1alpha4', target(), { primaryWeight: 60, canaryWeight: 40 }),
    ).toEqual({
      apiVersion: 'split.smi-spec.io/v1alpha4',
      kind: 'TrafficSplit',
      metadata: { name: 'web', namespace: 'apps', labels: { 'sluice.dev/rollout': 'web' } },
      spec: {
        service: 'web',
        backends: [
          { service: 'web-primary', weight: 60 },
          { service: 'web-canary', weight: 40 },
        ],
      },
    });
  });

  it('writes v1alpha1 weights as quantities and reads both forms', () => {
    const ts = trafficSplit('split.smi-spec.io/v1alpha1', target(), { primaryWeight: 60, canaryWeight: 40 });
    const backends = (ts.spec as { backends: { service: string; weight: number | string }[] }).backends;
    expect(backends.map((b) => b.weight)).toEqual(['60', '40']);
    expect(splitRoutes(backends, target())).toEqual({ primaryWeight: 60, canaryWeight: 40, mirrored: false });
    expect(splitWeight('500m')).toBe(0.5);
    expect(() => splitWeight('lots')).toThrow(/not a number/);
    expect(
      splitRoutes(
        [
          { service: 'web-primary', weight: '900m' },
          { service: 'web-canary', weight: '100m' },
        ],
        target(),
      ),
    ).toEqual({ primaryWeight: 90, canaryWeight: 10, mirrored: false });
  });
});

describe('kubernetes selectors', () => {
  it('compares selectors by keys and values', () => {
    expect(sameSelector({ app: 'web' }, { app: 'web' })).toBe(true);
    expect(sameSelector({ app: 'web' }, { app: 'web-primary' })).toBe(false);
    expect(sameSelector({ app: 'web' }, { app: 'web', tier: 'x' })).toBe(false);
  });
});
