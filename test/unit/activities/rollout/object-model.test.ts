import type { V1Deployment, V1PodSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { revisionChecksum } from '../../../../activities/rollout/checksum.js';
import { configRefs, renameConfigRefs } from '../../../../activities/rollout/config-refs.js';
import { primaryDeployment } from '../../../../activities/rollout/primary.js';
import { selectorLabel } from '../../../../activities/rollout/selector-label.js';
import { rolloutServices } from '../../../../activities/rollout/services.js';

const podSpec = (): V1PodSpec => ({
  volumes: [
    { name: 'cfg', configMap: { name: 'web-config' } },
    { name: 'tls', secret: { secretName: 'web-tls' } },
    { name: 'all', projected: { sources: [{ configMap: { name: 'extra' } }, { secret: { name: 'keys' } }] } },
  ],
  containers: [
    {
      name: 'web',
      image: 'web:2',
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'a' } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      ],
      envFrom: [{ configMapRef: { name: 'env' } }],
    },
  ],
});

const target = (): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: podSpec() },
  },
});

describe('the primary/canary object model', () => {
  it('finds every ConfigMap and Secret a pod spec references', () => {
    const refs = configRefs(podSpec());
    expect([...refs.configMaps].sort()).toEqual(['env', 'extra', 'web-config']);
    expect([...refs.secrets].sort()).toEqual(['db', 'keys', 'web-tls']);
  });

  it('renames only the references of copied config, leaving the input untouched', () => {
    const spec = podSpec();
    const renamed = renameConfigRefs(
      spec,
      { configMaps: new Set(['web-config']), secrets: new Set(['db']) },
      (n) => `${n}-primary`,
    );
    expect(renamed.volumes?.[0]?.configMap?.name).toBe('web-config-primary');
    expect(renamed.containers[0]?.env?.[0]?.valueFrom?.configMapKeyRef?.name).toBe('web-config-primary');
    expect(renamed.containers[0]?.env?.[1]?.valueFrom?.secretKeyRef?.name).toBe('db-primary');
    expect(renamed.volumes?.[1]?.secret?.secretName).toBe('web-tls'); // not copied (e.g. optional and absent)
    expect(spec.volumes?.[0]?.configMap?.name).toBe('web-config');
  });

  it('builds <name>-primary selecting app=<value>-primary, with renamed config and the checksum', () => {
    const p = primaryDeployment(target(), {
      rollout: 'web',
      replicas: 3,
      checksum: 'abc123',
      copied: { configMaps: new Set(['web-config']), secrets: new Set() },
    });
    expect(p.metadata?.name).toBe('web-primary');
    expect(p.spec?.selector.matchLabels).toEqual({ app: 'web-primary' });
    expect(p.spec?.template.metadata?.labels).toEqual({ app: 'web-primary', tier: 'front' });
    expect(p.spec?.template.metadata?.annotations?.['sluice.dev/rollout-checksum']).toBe('abc123');
    expect(p.spec?.template.spec?.volumes?.[0]?.configMap?.name).toBe('web-config-primary');
    expect(p.spec?.replicas).toBe(3);
  });

  it('makes the apex and -primary Services select the primary and -canary the target', () => {
    const services = rolloutServices(
      {
        rollout: 'web',
        namespace: 'shop',
        target: 'web',
        service: { name: 'web', port: 80, portName: 'http', targetPort: 8080 },
        provider: 'istio',
      },
      { key: 'app', value: 'web' },
    );
    expect(services.map((s) => [s.metadata?.name, s.spec?.selector])).toEqual([
      ['web', { app: 'web-primary' }],
      ['web-primary', { app: 'web-primary' }],
      ['web-canary', { app: 'web' }],
    ]);
    expect(services[0]?.spec?.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }]);
  });

  it("gives each Service the Rollout's apex / primary / canary labels and annotations; the rollout label wins", () => {
    const services = rolloutServices(
      {
        rollout: 'web',
        namespace: 'shop',
        target: 'web',
        service: {
          name: 'web',
          port: 80,
          portName: 'http',
          apex: { labels: { team: 'shop', 'sluice.dev/rollout': 'other' }, annotations: { a: 'apex' } },
          primary: { labels: { track: 'stable' } },
          canary: { annotations: { c: 'canary' } },
        },
        provider: 'istio',
      },
      { key: 'app', value: 'web' },
    );
    expect(services.map((s) => [s.metadata?.labels, s.metadata?.annotations])).toEqual([
      [{ team: 'shop', 'sluice.dev/rollout': 'web' }, { a: 'apex' }],
      [{ track: 'stable', 'sluice.dev/rollout': 'web' }, undefined],
      [{ 'sluice.dev/rollout': 'web' }, { c: 'canary' }],
    ]);
  });

  it('needs an app-like selector label and says which it found', () => {
    expect(selectorLabel(target())).toEqual({ key: 'app', value: 'web' });
    const odd = target();
    (odd.spec as NonNullable<V1Deployment['spec']>).selector = { matchLabels: { role: 'x' } };
    expect(() => selectorLabel(odd)).toThrow(/needs one of app, app.kubernetes.io\/name, name .*found: role/);
  });

  it('changes the revision checksum with the template or the referenced config, not with key order', () => {
    const t = target().spec?.template ?? {};
    const base = revisionChecksum(t, { configMaps: { a: { x: '1', y: '2' } }, secrets: {} });
    expect(revisionChecksum(t, { configMaps: { a: { y: '2', x: '1' } }, secrets: {} })).toBe(base);
    expect(revisionChecksum(t, { configMaps: { a: { x: '1', y: '3' } }, secrets: {} })).not.toBe(base);
    const t2 = structuredClone(t);
    (t2.spec as V1PodSpec).containers[0] = { name: 'web', image: 'web:3' };
    expect(revisionChecksum(t2, { configMaps: { a: { x: '1', y: '2' } }, secrets: {} })).not.toBe(base);
  });
});
