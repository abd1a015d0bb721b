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

describe('gateway-api with service.match and service.headers', () => {
  const istio = {
    match: [{ uri: { prefix: '/api' } }, { uri: { prefix: '/v2' }, headers: { 'x-team': { exact: 'web' } } }],
    headers: { request: { set: { 'x-env': 'prod' } }, response: { remove: ['server'] } },
  };
  const headerFilters = [
    { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-env', value: 'prod' }] } },
    { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['server'] } },
  ];
  const paths = [
    { path: { type: 'PathPrefix', value: '/api' } },
    {
      path: { type: 'PathPrefix', value: '/v2' },
      headers: [{ type: 'Exact', name: 'x-team', value: 'web' }],
    },
  ];

  it('puts the matches and header filters on every rule, A/B conditions added to each match', () => {
    const t = target({ istio });
    const ab = [{ headers: { 'x-canary': { exact: 'on' } } }];
    const rules = gatewayRules(t, { primaryWeight: 0, canaryWeight: 100, match: ab });
    const canary = { type: 'Exact', name: 'x-canary', value: 'on' };
    expect(rules).toEqual([
      {
        matches: [
          { ...paths[0], headers: [canary] },
          { ...paths[1], headers: [...(paths[1]?.headers ?? []), canary] },
        ],
        backendRefs: refs(0, 100),
        filters: headerFilters,
      },
      { matches: paths, backendRefs: refs(100, 0), filters: headerFilters },
    ]);
    const route = httpRoute(t, { primaryWeight: 90, canaryWeight: 10 });
    expect(route.metadata).toMatchObject({
      annotations: { 'sluice.dev/route-filters': 'RequestHeaderModifier,ResponseHeaderModifier' },
    });
  });

  it("replaces others' filter of a type it sets, keeps other types, and removes its own once unset", () => {
    const theirs = [
      { type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'x-other', value: '1' }] } },
      { type: 'URLRewrite', urlRewrite: { hostname: 'web.internal' } },
    ];
    const existing = [{ backendRefs: refs(100, 0), filters: theirs }];
    const set = gatewayRules(target({ istio }), { primaryWeight: 90, canaryWeight: 10 }, existing);
    expect(set[0]?.filters).toEqual([...headerFilters, theirs[1]]);
    const unset = gatewayRules(
      target(),
      { primaryWeight: 90, canaryWeight: 10 },
      set,
      undefined,
      'RequestHeaderModifier,ResponseHeaderModifier',
    );
    expect(unset[0]?.filters).toEqual([theirs[1]]);
  });

  it('refuses a shape the Gateway API cannot express, and an A/B header the service match tests too', () => {
    expect(() =>
      gatewayRules(target({ istio: { match: [{ authority: { exact: 'x' } }] } }), {
        primaryWeight: 100,
        canaryWeight: 0,
      }),
    ).toThrow(/service\.match\.0\.authority: the Gateway API's HTTPRouteMatch cannot express authority/);
    expect(() =>
      gatewayRules(target({ istio }), {
        primaryWeight: 0,
        canaryWeight: 100,
        match: [{ headers: { 'X-Team': { exact: 'x' } } }],
      }),
    ).toThrow(/service\.match tests header x-team/);
  });
});
