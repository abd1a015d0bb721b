import { describe, expect, it } from 'vitest';
import {
  gatewayRoutes,
  gatewayRules,
  httpRoute,
  parentRef,
} from '../../../../plugins/traffic/gateway-api.js';
import { target } from './target.js';

const refs = (p: number, c: number) => [
  { name: 'web-primary', port: 9898, weight: p },
  { name: 'web-canary', port: 9898, weight: c },
];

describe('gateway-api HTTPRoute', () => {
  it('parses gateway references', () => {
    expect(parentRef('gw')).toEqual({ name: 'gw' });
    expect(parentRef('infra/gw')).toEqual({ namespace: 'infra', name: 'gw' });
    expect(() => parentRef('a/b/c')).toThrow(/not "name" or "namespace\/name"/);
    expect(() => parentRef('/gw')).toThrow(/not "name"/);
  });

  it('attaches to the gateways, or to the apex Service (mesh) without any', () => {
    const withGw = httpRoute(target({ gateways: ['infra/gw'], timeout: '10s' }), {
      primaryWeight: 90,
      canaryWeight: 10,
    });
    expect(withGw.spec).toEqual({
      parentRefs: [{ namespace: 'infra', name: 'gw' }],
      hostnames: ['web'],
      rules: [{ backendRefs: refs(90, 10), timeouts: { request: '10s' } }],
    });
    const mesh = httpRoute(target(), { primaryWeight: 100, canaryWeight: 0 });
    expect((mesh.spec as { parentRefs: unknown }).parentRefs).toEqual([
      { group: '', kind: 'Service', name: 'web', port: 9898 },
    ]);
  });

  it('matches headers and a cookie in an A/B rule before the default rule', () => {
    const match = [
      { headers: { 'x-user': { exact: 'beta' }, 'x-v': { prefix: '2.' } }, cookies: { c: { regex: 'on' } } },
    ];
    const rules = gatewayRules(target(), { primaryWeight: 0, canaryWeight: 100, match });
    expect(rules).toEqual([
      {
        matches: [
          {
            headers: [
              { type: 'Exact', name: 'x-user', value: 'beta' },
              { type: 'RegularExpression', name: 'x-v', value: '^2\\..*' },
              { type: 'RegularExpression', name: 'Cookie', value: '^(.*?;)?( ?c=(?:on))(;.*)?$' },
            ],
          },
        ],
        backendRefs: refs(0, 100),
      },
      { backendRefs: refs(100, 0) },
    ]);
    expect(gatewayRoutes(rules, target())).toEqual({ primaryWeight: 0, canaryWeight: 100, mirrored: false });
  });

  it('owns only the mirror filter and keeps the filters others added', () => {
    const header = {
      type: 'RequestHeaderModifier',
      requestHeaderModifier: { set: [{ name: 'x', value: '1' }] },
    };
    const mirrored = gatewayRules(target(), { primaryWeight: 100, canaryWeight: 0, mirror: true }, [
      { backendRefs: [], filters: [header] },
    ]);
    expect(mirrored[0]?.filters).toEqual([
      header,
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'web-canary', port: 9898 } } },
    ]);
    expect(gatewayRoutes(mirrored, target())).toEqual({
      primaryWeight: 100,
      canaryWeight: 0,
      mirrored: true,
    });
    const plain = gatewayRules(target(), { primaryWeight: 100, canaryWeight: 0 }, mirrored);
    expect(plain[0]?.filters).toEqual([header]);
  });

  it('reads unset weights as 1 (a relative share)', () => {
    const rules = [{ backendRefs: [{ name: 'web-primary' }, { name: 'web-canary' }] }];
    expect(gatewayRoutes(rules, target())).toEqual({ primaryWeight: 50, canaryWeight: 50, mirrored: false });
  });
});
