import type { V1Ingress } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { RequestMatch } from '../../../../core/traffic/routes.js';
import { canaryIngress, nginxAnnotations, nginxRoutes } from '../../../../plugins/traffic/nginx.js';
import { target } from './target.js';

const a = (suffix: string) => `nginx.ingress.kubernetes.io/${suffix}`;
const user: V1Ingress = {
  metadata: {
    name: 'web',
    namespace: 'apps',
    labels: { team: 'blue' },
    annotations: {
      [a('rewrite-target')]: '/',
      [a('canary-weight')]: '50',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    },
  },
  spec: {
    ingressClassName: 'nginx',
    rules: [
      {
        host: 'web.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 9898 } } } },
            {
              path: '/static',
              pathType: 'Prefix',
              backend: { service: { name: 'cdn', port: { number: 80 } } },
            },
          ],
        },
      },
    ],
  },
};

describe('nginx canary Ingress', () => {
  it('clones the Ingress with the apex backends on the canary Service', () => {
    const ing = canaryIngress(user, target({ ingress: 'web' }), { primaryWeight: 70, canaryWeight: 30 });
    expect(ing.metadata).toEqual({
      name: 'web-canary',
      namespace: 'apps',
      labels: { team: 'blue', 'sluice.dev/rollout': 'web' },
      annotations: { [a('rewrite-target')]: '/', [a('canary')]: 'true', [a('canary-weight')]: '30' },
    });
    const paths = ing.spec?.rules?.[0]?.http?.paths ?? [];
    expect(paths.map((p) => p.backend.service?.name)).toEqual(['web-canary', 'cdn']);
    expect(ing.spec?.ingressClassName).toBe('nginx');
  });

  it('refuses an Ingress without a backend on the apex Service', () => {
    expect(() =>
      canaryIngress(user, target({ service: 'api', ingress: 'web' }), {
        primaryWeight: 100,
        canaryWeight: 0,
      }),
    ).toThrow(/no backend on Service api/);
  });

  it('routes A/B by one header and the "always" cookie, with weight 0 for the rest', () => {
    const spec = {
      primaryWeight: 0,
      canaryWeight: 100,
      match: [{ headers: { 'x-user': { regex: 'beta|qa' } }, cookies: { canary: { exact: 'always' } } }],
    };
    const annotations = nginxAnnotations(spec);
    expect(annotations).toEqual({
      [a('canary')]: 'true',
      [a('canary-weight')]: '0',
      [a('canary-by-header')]: 'x-user',
      [a('canary-by-header-pattern')]: 'beta|qa',
      [a('canary-by-cookie')]: 'canary',
    });
    expect(nginxRoutes(annotations)).toEqual({ primaryWeight: 0, canaryWeight: 100, mirrored: false });
    expect(nginxAnnotations({ ...spec, primaryWeight: 100, canaryWeight: 0 })).toEqual({
      [a('canary')]: 'true',
      [a('canary-weight')]: '0',
    });
  });

  it('says what ingress-nginx cannot match', () => {
    const two: RequestMatch[] = [{ headers: { a: { exact: '1' } } }, { headers: { b: { exact: '2' } } }];
    expect(() => nginxAnnotations({ primaryWeight: 0, canaryWeight: 100, match: two })).toThrow(
      /at most one header and one cookie, got headers \[a, b\]/,
    );
    const cookie = [{ cookies: { canary: { exact: 'yes' } } }];
    expect(() => nginxAnnotations({ primaryWeight: 0, canaryWeight: 100, match: cookie })).toThrow(
      /"always"/,
    );
  });

  it('reads the weight back', () => {
    expect(nginxRoutes({ [a('canary')]: 'true', [a('canary-weight')]: '25' })).toEqual({
      primaryWeight: 75,
      canaryWeight: 25,
      mirrored: false,
    });
    expect(nginxRoutes(undefined)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    expect(() => nginxRoutes({ [a('canary')]: 'true', [a('canary-weight')]: 'x' })).toThrow(/not 0-100/);
  });
});
