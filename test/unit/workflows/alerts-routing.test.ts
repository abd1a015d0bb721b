import { describe, expect, it } from 'vitest';
import {
  rolloutPromoted,
  rolloutRolledBack,
  rolloutStepAdvanced,
  syncSucceeded,
} from '../../../core/events/kinds.js';
import type { AlertProvider } from '../../../schemas/types.generated.js';
import {
  type AlertRoute,
  admit,
  newAlertState,
  resolveAlertRoutes,
  routesFor,
  threadKey,
} from '../../../workflows/shared/alerts-routing.js';

const s = { subject: 'shop', revision: 'abc1234' };
const provider = (name: string, namespace?: string): AlertProvider => ({
  apiVersion: 'sluice.dev/v1alpha1',
  kind: 'AlertProvider',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { type: 'webhook', address: `https://example.test/${name}` },
});
const route = (alert: string, severity: AlertRoute['severity'], p = alert): AlertRoute => ({
  alert,
  severity,
  provider: { name: p, spec: { type: 'webhook', address: 'https://x' } },
  caller: { repoId: 'test', project: 'default' },
});

describe('alert routing', () => {
  it('admits by lowest severity: info everything, warn warn+error, error only error', () => {
    const routes = [route('all', 'info'), route('warnings', 'warn'), route('errors', 'error')];
    const names = (e: Parameters<typeof routesFor>[1]) => routesFor(routes, e).map((r) => r.alert);
    expect(names(syncSucceeded(s))).toEqual(['all']);
    expect(names({ ...syncSucceeded(s), severity: 'warn' })).toEqual(['all', 'warnings']);
    expect(names(rolloutRolledBack(s, { reason: 'x' }))).toEqual(['all', 'warnings', 'errors']);
  });

  it('sends once per provider when two alerts name the same one', () => {
    const routes = [route('a', 'error', 'p'), route('b', 'info', 'p')];
    expect(routesFor(routes, rolloutRolledBack(s, { reason: 'x' })).map((r) => r.alert)).toEqual(['a']);
    expect(routesFor(routes, syncSucceeded(s)).map((r) => r.alert)).toEqual(['b']);
  });

  it('resolves providerRefs by name and namespace and lists the missing ones', () => {
    const { routes, missing } = resolveAlertRoutes(
      [
        { name: 'slack', providerRef: { name: 'ops' } },
        { name: 'other-ns', severity: 'error', providerRef: { name: 'ops', namespace: 'team' } },
        { name: 'gone', providerRef: { name: 'nope' } },
      ],
      [provider('ops'), provider('ops', 'team')],
      { repoId: 'test', project: 'default' },
    );
    expect(routes.map((r) => [r.alert, r.severity, r.provider.name])).toEqual([
      ['slack', 'info', 'ops'],
      ['other-ns', 'error', 'ops'],
    ]);
    expect(missing).toEqual(['gone: AlertProvider default/nope not found']);
  });

  it('collapses identical events for the same app within the window and counts the repeats', () => {
    const st = newAlertState();
    const e = syncSucceeded(s);
    expect(admit(st, e, 0, 1000)).toEqual({ send: true, suppressed: 0 });
    expect(admit(st, e, 500, 1000)).toEqual({ send: false, suppressed: 1 });
    expect(admit(st, e, 900, 1000)).toEqual({ send: false, suppressed: 2 });
    // Different app, revision or facts: not identical.
    expect(admit(st, syncSucceeded({ ...s, subject: 'cart' }), 900, 1000).send).toBe(true);
    expect(admit(st, rolloutStepAdvanced(s, { weight: 10 }), 900, 1000).send).toBe(true);
    expect(admit(st, rolloutStepAdvanced(s, { weight: 20 }), 900, 1000).send).toBe(true);
    // After the window it goes out again, saying how many were dropped.
    expect(admit(st, e, 1000, 1000)).toEqual({ send: true, suppressed: 2 });
    expect(admit(st, e, 5000, 1000)).toEqual({ send: true, suppressed: 0 });
    expect(Object.keys(st.recent)).toHaveLength(1);
  });

  it('threads rollout events per provider, app and revision only', () => {
    expect(threadKey('ops', rolloutPromoted(s))).toBe('ops|shop@abc1234');
    expect(threadKey('ops', syncSucceeded(s))).toBeUndefined();
  });
});
