import { describe, expect, it } from 'vitest';
import { gatewayRoutes, gatewayRules } from '../../../../plugins/traffic/gateway-api.js';
import { istioHttpRoutes, istioRoutes, mergeMatches } from '../../../../plugins/traffic/istio.js';
import { cookieRegex, stickyRoute } from '../../../../plugins/traffic/session-affinity.js';
import { target } from './target.js';

const affinity = { cookieName: 'sticky', maxAge: 60 };

describe('stickyRoute', () => {
  it('makes a cookie when the canary first gets traffic and keeps it while it does', () => {
    const first = stickyRoute(affinity, { primaryWeight: 90, canaryWeight: 10 }, undefined, 0);
    expect(first).toMatchObject({ active: true, cookie: expect.stringMatching(/^sticky=[0-9a-f]{24}$/) });
    expect(stickyRoute(affinity, { primaryWeight: 50, canaryWeight: 50 }, first?.cookie, 10)).toEqual(first);
  });

  it('expires the cookie when the canary has no traffic; a new run gets a new one', () => {
    expect(stickyRoute(affinity, { primaryWeight: 100, canaryWeight: 0 }, 'sticky=abc', 30)).toEqual({
      cookie: 'sticky=abc',
      active: false,
    });
    const next = stickyRoute(affinity, { primaryWeight: 90, canaryWeight: 10 }, 'sticky=abc', 0);
    expect(next?.cookie).not.toBe('sticky=abc');
    expect(stickyRoute(affinity, { primaryWeight: 100, canaryWeight: 0 }, undefined, 0)).toBeUndefined();
  });

  it('matches the cookie exactly among others in the Cookie header, whatever its value holds', () => {
    const re = new RegExp(cookieRegex('sticky=a.b'));
    expect(re.test('x=1; sticky=a.b; y=2')).toBe(true);
    expect(re.test('sticky=aXb')).toBe(false);
    expect(re.test('notsticky=a.b')).toBe(false);
  });
});

describe('istio routes with session affinity and route matches', () => {
  const t = target({ sessionAffinity: affinity, istio: { match: [{ uri: { prefix: '/api' } }] } });

  it('puts the sticky route first and reads the weights from the weighted route', () => {
    const http = istioHttpRoutes(
      t,
      { primaryWeight: 80, canaryWeight: 20 },
      { cookie: 'sticky=v', active: true },
    );
    expect(http[0]).toMatchObject({ name: 'sticky-route' });
    expect(istioRoutes(http, t)).toEqual({ primaryWeight: 80, canaryWeight: 20, mirrored: false });
  });

  it('combines each of its matches with each route match, adding header conditions', () => {
    expect(
      mergeMatches(
        [{ headers: { a: { exact: '1' } } }, { headers: { b: { exact: '2' } } }],
        [{ uri: { prefix: '/x' }, headers: { c: { exact: '3' } } }, { uri: { prefix: '/y' } }],
      ),
    ).toEqual([
      { uri: { prefix: '/x' }, headers: { c: { exact: '3' }, a: { exact: '1' } } },
      { uri: { prefix: '/y' }, headers: { a: { exact: '1' } } },
      { uri: { prefix: '/x' }, headers: { c: { exact: '3' }, b: { exact: '2' } } },
      { uri: { prefix: '/y' }, headers: { b: { exact: '2' } } },
    ]);
    expect(mergeMatches([{ headers: {} }], undefined)).toEqual([{ headers: {} }]);
  });
});

describe('gateway-api rules with session affinity', () => {
  it('puts the sticky rule first and reads the weights from the weighted rule', () => {
    const t = target({ sessionAffinity: affinity });
    const rules = gatewayRules(t, { primaryWeight: 70, canaryWeight: 30 }, undefined, {
      cookie: 'sticky=v',
      active: true,
    });
    expect(rules).toHaveLength(2);
    expect(gatewayRoutes(rules, t)).toEqual({ primaryWeight: 70, canaryWeight: 30, mirrored: false });
  });
});
