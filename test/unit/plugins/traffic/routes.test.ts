import { describe, expect, it } from 'vitest';
import { carryOver } from '../../../../plugins/traffic/carry-over.js';
import { TrafficConfigError } from '../../../../plugins/traffic/errors.js';
import {
  asRegex,
  checkRouteSpec,
  cookieHeaderRegex,
  keptSpec,
  singleCookie,
} from '../../../../plugins/traffic/routes.js';

const all = { weights: true, match: true, mirror: true };

describe('checkRouteSpec', () => {
  it('accepts whole weights adding up to 100', () => {
    expect(() => checkRouteSpec('istio', all, { primaryWeight: 80, canaryWeight: 20 })).not.toThrow();
  });
  it.each([
    [{ primaryWeight: 50, canaryWeight: 60 }, /adding up to 100/],
    [{ primaryWeight: 99.5, canaryWeight: 0.5 }, /whole numbers/],
    [{ primaryWeight: -10, canaryWeight: 110 }, /0-100/],
    [{ primaryWeight: 80, canaryWeight: 20, mirror: true }, /canary weight 0/],
  ])('refuses %j', (spec, message) => {
    expect(() => checkRouteSpec('istio', all, spec)).toThrow(TrafficConfigError);
    expect(() => checkRouteSpec('istio', all, spec)).toThrow(message);
  });
  it('refuses what the provider cannot do', () => {
    const none = { weights: true, match: false, mirror: false };
    expect(() => checkRouteSpec('smi', none, { primaryWeight: 100, canaryWeight: 0, mirror: true })).toThrow(
      'the smi provider cannot mirror traffic',
    );
    const match = [{ headers: { x: { exact: '1' } } }];
    expect(() => checkRouteSpec('smi', none, { primaryWeight: 0, canaryWeight: 100, match })).toThrow(/A\/B/);
  });
});

describe('match conditions', () => {
  it('turns exact and prefix into anchored regexes, escaping the literal', () => {
    expect(asRegex('h', { exact: 'a.b' })).toBe('^a\\.b$');
    expect(asRegex('h', { prefix: 'v1(' })).toBe('^v1\\(.*');
    expect(asRegex('h', { regex: '^x[0-9]+$' })).toBe('^x[0-9]+$');
    expect(() => asRegex('header x', { exact: 'a', prefix: 'b' })).toThrow(
      /exactly one of exact, prefix or regex/,
    );
    expect(() => asRegex('header x', {})).toThrow(/got none/);
  });
  it('matches one cookie inside the Cookie header', () => {
    const exact = new RegExp(cookieHeaderRegex('canary', { exact: 'always' }));
    expect(exact.test('canary=always')).toBe(true);
    expect(exact.test('a=1; canary=always; b=2')).toBe(true);
    expect(exact.test('a=1; canary=alwaysnot')).toBe(false);
    expect(exact.test('xcanary=always')).toBe(false);
    const prefix = new RegExp(cookieHeaderRegex('user', { prefix: 'beta-' }));
    expect(prefix.test('user=beta-42; x=1')).toBe(true);
    expect(prefix.test('user=prod-1')).toBe(false);
    const regex = new RegExp(cookieHeaderRegex('v', { regex: '1|2' }));
    expect(regex.test('v=2')).toBe(true);
    expect(regex.test('v=3')).toBe(false);
  });
  it('allows one cookie per match entry, and not beside a Cookie header condition', () => {
    expect(singleCookie('istio', { cookies: { a: { exact: '1' } } })).toEqual(['a', { exact: '1' }]);
    expect(() => singleCookie('istio', { cookies: { a: { exact: '1' }, b: { exact: '2' } } })).toThrow(
      /one match entry can test one cookie.*got a, b/,
    );
    expect(() =>
      singleCookie('istio', { headers: { Cookie: { regex: 'x' } }, cookies: { a: { exact: '1' } } }),
    ).toThrow(/both the Cookie header and a cookie/);
  });
});

describe('keptSpec (what reconcile applies)', () => {
  const current = { primaryWeight: 70, canaryWeight: 30, mirrored: false };
  const match = [{ headers: { x: { exact: '1' } } }];
  it('starts a new route on the primary and keeps an existing one', () => {
    expect(keptSpec(undefined, false)).toEqual({ primaryWeight: 100, canaryWeight: 0 });
    expect(keptSpec(current, false)).toEqual({ primaryWeight: 70, canaryWeight: 30, mirror: false });
    expect(keptSpec({ primaryWeight: 0, canaryWeight: 100, mirrored: false }, true, match)).toEqual({
      primaryWeight: 0,
      canaryWeight: 100,
      mirror: false,
      match,
    });
  });
  it('resets to the primary when switching between weighted and A/B', () => {
    expect(keptSpec({ primaryWeight: 0, canaryWeight: 100, mirrored: false }, true)).toEqual({
      primaryWeight: 100,
      canaryWeight: 0,
    });
    expect(keptSpec(current, false, match)).toEqual({ primaryWeight: 100, canaryWeight: 0, match });
  });
});

describe('carryOver', () => {
  it('keeps unmanaged fields of the entries at the same place from the end', () => {
    const existing = [
      { match: ['old'], route: ['old'], retries: { attempts: 1 } },
      { route: ['old'], retries: { attempts: 3 }, corsPolicy: { allowOrigins: ['*'] } },
    ];
    expect(carryOver(existing, [{ route: ['new'] }], ['match', 'route'])).toEqual([
      { route: ['new'], retries: { attempts: 3 }, corsPolicy: { allowOrigins: ['*'] } },
    ]);
    expect(
      carryOver(existing.slice(1), [{ match: ['m'], route: ['a'] }, { route: ['b'] }], ['match', 'route']),
    ).toEqual([
      { match: ['m'], route: ['a'] },
      { route: ['b'], retries: { attempts: 3 }, corsPolicy: { allowOrigins: ['*'] } },
    ]);
    expect(carryOver(undefined, [{ route: [] }], ['route'])).toEqual([{ route: [] }]);
  });
});
