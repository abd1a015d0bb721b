import { describe, expect, it } from 'vitest';
import { gatewayRoutes, gatewayRules } from '../../../../plugins/traffic/gateway-api.js';
import { istioHttpRoutes, istioRoutes, mergeMatches } from '../../../../plugins/traffic/istio.js';
import {
  cookieRegex,
  expireCookie,
  setCookie,
  setPrimaryCookie,
  stickyRoute,
} from '../../../../plugins/traffic/session-affinity.js';
import { target } from './target.js';

const affinity = { cookieName: 'sticky', maxAge: 60 };

describe('stickyRoute', () => {
  it('makes a cookie when the canary first gets traffic and keeps it while it does', () => {
    const first = stickyRoute(affinity, { primaryWeight: 90, canaryWeight: 10 }, { canaryWeight: 0 });
    expect(first).toMatchObject({ active: true, cookie: expect.stringMatching(/^sticky=[0-9a-f]{24}$/) });
    expect(
      stickyRoute(
        affinity,
        { primaryWeight: 50, canaryWeight: 50 },
        { cookie: first?.cookie, canaryWeight: 10 },
      ),
    ).toEqual(first);
  });

  it('expires the cookie when the canary has no traffic; a new run gets a new one', () => {
    expect(
      stickyRoute(
        affinity,
        { primaryWeight: 100, canaryWeight: 0 },
        { cookie: 'sticky=abc', canaryWeight: 30 },
      ),
    ).toEqual({
      cookie: 'sticky=abc',
      active: false,
    });
    const next = stickyRoute(
      affinity,
      { primaryWeight: 90, canaryWeight: 10 },
      { cookie: 'sticky=abc', canaryWeight: 0 },
    );
    expect(next?.cookie).not.toBe('sticky=abc');
    expect(
      stickyRoute(affinity, { primaryWeight: 100, canaryWeight: 0 }, { canaryWeight: 0 }),
    ).toBeUndefined();
  });

  it('makes a primary cookie per step, keeps it when the same step is applied again, and drops it after the run', () => {
    const both = { ...affinity, primaryCookieName: 'stay', primaryMaxAge: 30 };
    const step = (canaryWeight: number, now: { cookie?: string; primary?: string; canaryWeight: number }) =>
      stickyRoute(both, { primaryWeight: 100 - canaryWeight, canaryWeight }, now);
    const first = step(10, { canaryWeight: 0 });
    expect(first?.primary).toMatch(/^stay=[0-9a-f]{24}$/);
    // A retry of the same step (or a reconcile) keeps both cookies.
    expect(step(10, { cookie: first?.cookie, primary: first?.primary, canaryWeight: 10 })).toEqual(first);
    // The next step keeps the canary cookie and makes a new primary cookie.
    const next = step(20, { cookie: first?.cookie, primary: first?.primary, canaryWeight: 10 });
    expect(next?.cookie).toBe(first?.cookie);
    expect(next?.primary).toMatch(/^stay=/);
    expect(next?.primary).not.toBe(first?.primary);
    expect(step(0, { cookie: next?.cookie, primary: next?.primary, canaryWeight: 20 })).toEqual({
      cookie: next?.cookie,
      active: false,
    });
    expect(setPrimaryCookie('stay=v', both)).toBe('stay=v; Max-Age=30');
  });

  it("adds Flagger's cookie attributes in its order, and Domain and Path to the expiring cookie", () => {
    const all = {
      ...affinity,
      domain: 'example.com',
      httpOnly: true,
      partitioned: true,
      path: '/shop',
      sameSite: 'None' as const,
      secure: true,
      primaryMaxAge: 30,
    };
    expect(setCookie('sticky=v', all)).toBe(
      'sticky=v; Max-Age=60; Domain=example.com; HttpOnly; Partitioned; Path=/shop; SameSite=None; Secure',
    );
    expect(setPrimaryCookie('stay=v', all)).toBe(
      'stay=v; Max-Age=30; Domain=example.com; HttpOnly; Partitioned; Path=/shop; SameSite=None; Secure',
    );
    expect(expireCookie('sticky=v', all)).toBe('sticky=v; Max-Age=-1; Domain=example.com; Path=/shop');
    expect(expireCookie('sticky=v')).toBe('sticky=v; Max-Age=-1');
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

describe('sticky primary (primaryCookieName)', () => {
  const both = { ...affinity, primaryCookieName: 'stay', primaryMaxAge: 30 };
  const sticky = { cookie: 'sticky=c', active: true, primary: 'stay=p' };

  it('istio: a sticky-primary route after the sticky route, and the primary sets the cookie on the weighted route', () => {
    const t = target({ sessionAffinity: both });
    const http = istioHttpRoutes(t, { primaryWeight: 80, canaryWeight: 20 }, sticky);
    expect(http.map((r) => r.name)).toEqual(['sticky-route', 'sticky-primary-route', undefined]);
    expect(http[1]).toEqual({
      name: 'sticky-primary-route',
      match: [{ headers: { cookie: { regex: cookieRegex('stay=p') } } }],
      route: [
        { destination: { host: 'web-primary', port: { number: 9898 } }, weight: 100 },
        { destination: { host: 'web-canary', port: { number: 9898 } }, weight: 0 },
      ],
    });
    expect(((http[2]?.route ?? []) as { headers?: unknown }[])[0]?.headers).toEqual({
      response: { add: { 'Set-Cookie': 'stay=p; Max-Age=30' } },
    });
    expect(istioRoutes(http, t)).toEqual({ primaryWeight: 80, canaryWeight: 20, mirrored: false });
  });

  it('gateway-api: a sticky-primary rule after the sticky rule, and a Set-Cookie filter on the primary backend', () => {
    const t = target({ sessionAffinity: both });
    const rules = gatewayRules(t, { primaryWeight: 80, canaryWeight: 20 }, undefined, sticky);
    expect(rules).toHaveLength(3);
    expect(rules[1]).toEqual({
      matches: [{ headers: [{ type: 'RegularExpression', name: 'Cookie', value: cookieRegex('stay=p') }] }],
      backendRefs: [
        { name: 'web-primary', port: 9898, weight: 100 },
        { name: 'web-canary', port: 9898, weight: 0 },
      ],
    });
    expect(((rules[2]?.backendRefs ?? []) as { filters?: unknown }[])[0]?.filters).toEqual([
      {
        type: 'ResponseHeaderModifier',
        responseHeaderModifier: { add: [{ name: 'Set-Cookie', value: 'stay=p; Max-Age=30' }] },
      },
    ]);
    expect(gatewayRoutes(rules, t)).toEqual({ primaryWeight: 80, canaryWeight: 20, mirrored: false });
    // After the run only the expiring canary rule is left, as Flagger does.
    const after = gatewayRules(t, { primaryWeight: 100, canaryWeight: 0 }, rules, {
      cookie: 'sticky=c',
      active: false,
    });
    expect(after).toHaveLength(2);
    expect(gatewayRoutes(after, t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });
});
