import { describe, expect, it } from 'vitest';
import type { AlertProviderSpec } from '../../../schemas/types.generated.js';
import { alertProviderObjects, applicationAlertRoutes } from '../../../workflows/application/alerts.js';
import type { DesiredApplication } from '../../../workflows/application/messages.js';

const hook: AlertProviderSpec = { type: 'webhook', address: 'https://hooks.example.test/sluice' };
const slack: AlertProviderSpec = { type: 'slack', channel: 'C1', secretRef: { name: 'slack', key: 'token' } };

const caller = { repoId: 'test', project: 'default' };
const app = (extra: Partial<DesiredApplication>, alerts?: unknown[]): DesiredApplication => ({
  repoId: 'test',
  name: 'web',
  project: 'default',
  revision: 'abc',
  source: 'apps/web.yaml:1',
  spec: { destination: { namespace: 'web' }, ...(alerts ? { alerts } : {}) },
  ...extra,
});

describe('alertProviderObjects', () => {
  it('turns "namespace/name" keys back into AlertProviders', () => {
    expect(alertProviderObjects({ 'shop/hook': hook })).toEqual([
      {
        apiVersion: 'sluice.dev/v1alpha1',
        kind: 'AlertProvider',
        metadata: { namespace: 'shop', name: 'hook' },
        spec: hook,
      },
    ]);
    expect(alertProviderObjects(undefined)).toEqual([]);
  });
});

describe('applicationAlertRoutes', () => {
  it("resolves spec.alerts in the Application's namespace, or the one a ref names", () => {
    const desired = app({ namespace: 'shop', alertProviders: { 'shop/hook': hook, 'ops/slack': slack } }, [
      { name: 'team', providerRef: { name: 'hook' } },
      { name: 'ops', severity: 'error', providerRef: { name: 'slack', namespace: 'ops' } },
      { name: 'gone', providerRef: { name: 'nope' } },
    ]);
    expect(applicationAlertRoutes(desired)).toEqual({
      routes: [
        { alert: 'team', severity: 'info', provider: { name: 'hook', spec: hook }, caller },
        { alert: 'ops', severity: 'error', provider: { name: 'slack', spec: slack }, caller },
      ],
      missing: ['gone: AlertProvider shop/nope not found'],
    });
  });

  it('uses the default namespace when the Application names none, and has no routes without alerts', () => {
    const desired = app({ alertProviders: { 'default/hook': hook } }, [
      { name: 'team', providerRef: { name: 'hook' } },
    ]);
    expect(applicationAlertRoutes(desired).routes.map((r) => r.provider.name)).toEqual(['hook']);
    expect(applicationAlertRoutes(app({ alertProviders: { 'default/hook': hook } }))).toEqual({
      routes: [],
      missing: [],
    });
  });
});
