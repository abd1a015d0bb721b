import { describe, expect, it } from 'vitest';
import type { RolloutSpec } from '../../../../schemas/types.generated.js';
import type { DesiredApplication } from '../../../../workflows/application/messages.js';
import { rolloutTarget } from '../../../../workflows/application/rollout-runner.js';

const desired = (spec: RolloutSpec): DesiredApplication => ({
  repoId: 'apps',
  name: 'web',
  project: 'default',
  revision: 'abc',
  spec: { destination: { namespace: 'shop' } },
  source: 'apps/web.yaml:1',
  rollout: { name: 'web', namespace: 'default', spec },
});

describe('rolloutTarget', () => {
  it('carries the routing fields of the Rollout into what the rollout activities receive', () => {
    const t = rolloutTarget(
      desired({
        targetRef: { name: 'web' },
        provider: 'istio',
        service: {
          port: 80,
          match: [{ uri: { prefix: '/api' } }],
          retries: { attempts: 3 },
          trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
          apex: { labels: { team: 'shop' } },
          canary: { annotations: { c: 'x' } },
          sessionAffinity: { cookieName: 'sticky' },
        },
        strategy: { canary: { stepWeight: 10 } },
      }),
    );
    expect(t).toEqual({
      rollout: 'web',
      namespace: 'shop',
      target: 'web',
      provider: 'istio',
      service: {
        name: 'web',
        port: 80,
        portName: 'http',
        istio: {
          match: [{ uri: { prefix: '/api' } }],
          retries: { attempts: 3 },
          trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
        },
        apex: { labels: { team: 'shop' } },
        canary: { annotations: { c: 'x' } },
        // Flagger's default lifetime: one day.
        sessionAffinity: { cookieName: 'sticky', maxAge: 86400 },
      },
    });
  });

  it('gives a primary cookie the analysis interval as its lifetime, and gateway-api the Istio-shaped match and headers', () => {
    const t = rolloutTarget(
      desired({
        targetRef: { name: 'web' },
        provider: 'gateway-api',
        service: {
          port: 80,
          match: [{ uri: { prefix: '/api' } }],
          headers: { request: { set: { 'x-env': 'prod' } } },
          sessionAffinity: {
            cookieName: 'sticky',
            maxAge: 600,
            primaryCookieName: 'stay',
            sameSite: 'Lax',
            secure: true,
          },
        },
        strategy: { canary: { stepWeight: 10 } },
        analysis: { interval: '30s' },
      }),
    );
    expect(t?.service).toMatchObject({
      istio: { match: [{ uri: { prefix: '/api' } }], headers: { request: { set: { 'x-env': 'prod' } } } },
      sessionAffinity: {
        cookieName: 'sticky',
        maxAge: 600,
        primaryCookieName: 'stay',
        primaryMaxAge: 30,
        sameSite: 'Lax',
        secure: true,
      },
    });
    const byDefault = rolloutTarget(
      desired({
        targetRef: { name: 'web' },
        provider: 'istio',
        service: { port: 80, sessionAffinity: { cookieName: 'sticky', primaryCookieName: 'stay' } },
        strategy: { canary: { stepWeight: 10 } },
      }),
    );
    // Without analysis.interval the rollout steps every minute: the cookie lives as long.
    expect(byDefault?.service.sessionAffinity?.primaryMaxAge).toBe(60);
  });

  it('leaves the target as before for a Rollout without routing fields (running histories see the same input)', () => {
    const t = rolloutTarget(
      desired({
        targetRef: { name: 'web' },
        service: { port: 80 },
        strategy: { blueGreen: { iterations: 2 } },
      }),
    );
    expect(t).toEqual({
      rollout: 'web',
      namespace: 'shop',
      target: 'web',
      provider: 'kubernetes',
      service: { name: 'web', port: 80, portName: 'http' },
    });
  });
});
