import { describe, expect, it } from 'vitest';
import { istioMatches, istioRoutes, virtualService } from '../../../../plugins/traffic/istio.js';
import { target } from './target.js';

const dest = (host: string, weight: number) => ({ destination: { host, port: { number: 9898 } }, weight });

describe('istio VirtualService', () => {
  it('splits by weight, with gateways and timeout, labelled with the rollout', () => {
    const t = target({ gateways: ['public/gw', 'mesh'], hosts: ['web.example.com', 'web'], timeout: '5s' });
    expect(virtualService('networking.istio.io/v1', t, { primaryWeight: 80, canaryWeight: 20 })).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'web', namespace: 'apps', labels: { 'sluice.dev/rollout': 'web' } },
      spec: {
        hosts: ['web.example.com', 'web'],
        gateways: ['public/gw', 'mesh'],
        http: [{ route: [dest('web-primary', 80), dest('web-canary', 20)], timeout: '5s' }],
      },
    });
  });

  it('puts an A/B route before the default route, and reads it back', () => {
    const match = [
      { headers: { 'X-User': { prefix: 'beta' } } },
      { cookies: { canary: { exact: 'always' } } },
    ];
    const vs = virtualService('v', target(), { primaryWeight: 0, canaryWeight: 100, match });
    const http = (vs.spec as { http: unknown[] }).http;
    expect(http).toEqual([
      {
        match: [
          { headers: { 'x-user': { prefix: 'beta' } } },
          { headers: { cookie: { regex: '^(.*?;)?( ?canary=always)(;.*)?$' } } },
        ],
        route: [dest('web-primary', 0), dest('web-canary', 100)],
      },
      { route: [dest('web-primary', 100), dest('web-canary', 0)] },
    ]);
    expect(istioRoutes(http, target())).toEqual({ primaryWeight: 0, canaryWeight: 100, mirrored: false });
  });

  it('mirrors to the canary at 100% and keeps the fields others set on a route', () => {
    const existing = [{ route: [], retries: { attempts: 3 }, mirror: { host: 'old' } }];
    const vs = virtualService('v', target(), { primaryWeight: 100, canaryWeight: 0, mirror: true }, existing);
    const http = (vs.spec as { http: unknown[] }).http;
    expect(http).toEqual([
      {
        route: [dest('web-primary', 100), dest('web-canary', 0)],
        mirror: { host: 'web-canary', port: { number: 9898 } },
        mirrorPercentage: { value: 100 },
        retries: { attempts: 3 },
      },
    ]);
    expect(istioRoutes(http, target())).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: true });
    const unmirrored = virtualService('v', target(), { primaryWeight: 100, canaryWeight: 0 }, http);
    expect((unmirrored.spec as { http: Record<string, unknown>[] }).http[0]?.mirror).toBeUndefined();
  });

  it('reads a route without weights as all on its one destination', () => {
    expect(istioRoutes([{ route: [{ destination: { host: 'web-canary' } }] }], target())).toEqual({
      primaryWeight: 0,
      canaryWeight: 100,
      mirrored: false,
    });
    expect(istioRoutes([], target())).toBeUndefined();
  });

  it('refuses two cookies in one match entry', () => {
    expect(() => istioMatches([{ cookies: { a: { exact: '1' }, b: { exact: '2' } } }])).toThrow(/one cookie/);
  });
});
