import { type KubernetesObject, PatchStrategy, type V1Service } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeClients } from '../../activities/kube/client.js';
import type { RouteTarget } from '../../core/traffic/routes.js';
import { createTrafficProvider } from '../../plugins/traffic/factory.js';
import {
  PRIMARY_COOKIE_ANNOTATION,
  SESSION_COOKIE_ANNOTATION,
} from '../../plugins/traffic/session-affinity.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';

// Flagger's routing fields on the real API server (with the Istio and Gateway API CRDs the stack installs):
// what the istio and gateway-api providers write for a Rollout's service.match, retries, headers, corsPolicy,
// trafficPolicy, gatewayRefs, apex metadata and session affinity, step by step through a canary run.

const kube = kubeClients(stackPaths(loadStackConfig()).kubeconfig);
const objects = kube.objects;
const suffix = Date.now().toString(36);
const namespaces: string[] = [];

type Obj = KubernetesObject & { spec?: Record<string, unknown> };
const read = (apiVersion: string, kind: string, namespace: string, name: string) =>
  objects.read({ apiVersion, kind, metadata: { name, namespace } }) as Promise<Obj>;

/** A fresh namespace with the apex, primary and canary Services of app `web`. */
async function setUp(name: string): Promise<RouteTarget> {
  const namespace = `routing-${name}-${suffix}`;
  namespaces.push(namespace);
  await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
  const service = (svc: string, app: string): V1Service => ({
    metadata: { name: svc, namespace },
    spec: { selector: { app }, ports: [{ name: 'http', port: 9898, protocol: 'TCP' }] },
  });
  for (const [svc, app] of [
    ['web', 'web-primary'],
    ['web-primary', 'web-primary'],
    ['web-canary', 'web'],
  ] as const)
    await kube.core.createNamespacedService({ namespace, body: service(svc, app) });
  return {
    namespace,
    service: 'web',
    primaryService: 'web-primary',
    canaryService: 'web-canary',
    port: 9898,
    portName: 'http',
    hosts: ['web.example.com'],
    gateways: [],
    rollout: 'web',
  };
}

afterAll(async () => {
  for (const name of namespaces) await kube.core.deleteNamespace({ name }).catch(() => {});
});

const dest = (host: string, weight: number, headers?: unknown) => ({
  destination: { host, port: { number: 9898 } },
  weight,
  ...(headers ? { headers } : {}),
});

describe('istio provider with Flagger routing fields', () => {
  let t: RouteTarget;
  const p = createTrafficProvider('istio', { kube });
  const vs = () => read('networking.istio.io/v1', 'VirtualService', t.namespace, 'web');
  const routeFields = {
    rewrite: { uri: '/' },
    retries: { attempts: 3, perTryTimeout: '1s', retryOn: 'gateway-error,connect-failure' },
    headers: { request: { add: { 'x-env': 'prod' } } },
    corsPolicy: { allowOrigins: [{ exact: 'https://example.com' }], allowMethods: ['GET'] },
    timeout: '30s',
  };
  beforeAll(async () => {
    t = await setUp('istio');
    t.timeout = '30s';
    t.gateways = ['public-gateway'];
    t.istio = {
      match: [{ uri: { prefix: '/api' } }],
      rewrite: routeFields.rewrite,
      retries: routeFields.retries,
      headers: routeFields.headers,
      corsPolicy: routeFields.corsPolicy,
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: { http: { http2MaxRequests: 100 } } },
    };
    t.metadata = { labels: { team: 'web' }, annotations: { 'example.com/owner': 'web-team' } };
    t.sessionAffinity = { cookieName: 'flagger-cookie', maxAge: 21600 };
  });

  it('writes trafficPolicy on both DestinationRules and every route field on the VirtualService', async () => {
    await p.reconcile(t);
    for (const host of ['web-primary', 'web-canary'])
      expect((await read('networking.istio.io/v1', 'DestinationRule', t.namespace, host)).spec).toEqual({
        host,
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: { http: { http2MaxRequests: 100 } } },
      });
    const v = await vs();
    expect(v.metadata?.labels).toMatchObject({ team: 'web', 'sluice.dev/rollout': 'web' });
    expect(v.metadata?.annotations).toEqual({
      'example.com/owner': 'web-team',
      'sluice.dev/route-fields': 'rewrite,retries,headers,corsPolicy',
    });
    expect(v.spec).toEqual({
      hosts: ['web.example.com'],
      gateways: ['public-gateway'],
      http: [
        {
          match: [{ uri: { prefix: '/api' } }],
          route: [dest('web-primary', 100), dest('web-canary', 0)],
          ...routeFields,
        },
      ],
    });
  });

  let cookie = '';
  it('sticks users to the canary with a cookie while it gets traffic, keeping the cookie across steps', async () => {
    await p.setRoutes(t, { primaryWeight: 90, canaryWeight: 10 });
    const v = await vs();
    cookie = v.metadata?.annotations?.[SESSION_COOKIE_ANNOTATION] ?? '';
    expect(cookie).toMatch(/^flagger-cookie=[0-9a-f]{24}$/);
    const value = cookie.split('=')[1];
    const regex = `^(.*?;)?( ?flagger-cookie=${value})(;.*)?$`;
    expect(v.spec?.http).toEqual([
      {
        name: 'sticky-route',
        match: [{ uri: { prefix: '/api' }, headers: { cookie: { regex } } }],
        route: [dest('web-primary', 0), dest('web-canary', 100)],
        ...routeFields,
      },
      {
        match: [{ uri: { prefix: '/api' } }],
        route: [
          dest('web-primary', 90),
          dest('web-canary', 10, {
            response: { add: { 'Set-Cookie': `${cookie}; Max-Age=21600` } },
          }),
        ],
        ...routeFields,
      },
    ]);
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 90, canaryWeight: 10, mirrored: false });
    // The next step (and a retried one) keeps the run's cookie.
    await p.setRoutes(t, { primaryWeight: 70, canaryWeight: 30 });
    await p.setRoutes(t, { primaryWeight: 70, canaryWeight: 30 });
    expect((await vs()).metadata?.annotations?.[SESSION_COOKIE_ANNOTATION]).toBe(cookie);
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 70, canaryWeight: 30, mirrored: false });
  });

  it('expires the cookie once the canary has no traffic, and a new run gets a new cookie', async () => {
    await p.finalize(t);
    const http = (await vs()).spec?.http as Record<string, unknown>[];
    expect(http[0]).toMatchObject({
      name: 'sticky-route',
      route: [
        dest('web-primary', 100, { response: { add: { 'Set-Cookie': `${cookie}; Max-Age=-1` } } }),
        dest('web-canary', 0),
      ],
    });
    expect(http[1]).toMatchObject({ route: [dest('web-primary', 100), dest('web-canary', 0)] });
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    await p.setRoutes(t, { primaryWeight: 80, canaryWeight: 20 });
    const next = (await vs()).metadata?.annotations?.[SESSION_COOKIE_ANNOTATION];
    expect(next).toMatch(/^flagger-cookie=/);
    expect(next).not.toBe(cookie);
  });

  it('combines A/B matches with the route match', async () => {
    const ab = { ...t, sessionAffinity: undefined } as RouteTarget;
    delete ab.sessionAffinity;
    await p.setRoutes(ab, {
      primaryWeight: 0,
      canaryWeight: 100,
      match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
    });
    const http = (await vs()).spec?.http as Record<string, unknown>[];
    expect(http.map((r) => r.match)).toEqual([
      [{ uri: { prefix: '/api' }, headers: { 'x-canary': { exact: 'insider' } } }],
      [{ uri: { prefix: '/api' } }],
    ]);
  });
});

describe('istio route fields the Rollout stops setting', () => {
  it('removes them from the routes, and keeps the fields someone else added', async () => {
    const t = await setUp('istio-removal');
    const p = createTrafficProvider('istio', { kube });
    t.istio = { retries: { attempts: 3 }, corsPolicy: { allowMethods: ['GET'] } };
    await p.reconcile(t);
    const vs = () => read('networking.istio.io/v1', 'VirtualService', t.namespace, 'web');
    // Someone else adds a fault injection to the route.
    const http = (await vs()).spec?.http as Record<string, unknown>[];
    await objects.patch(
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'web', namespace: t.namespace },
        spec: {
          http: http.map((r) => ({ ...r, fault: { delay: { fixedDelay: '1s', percentage: { value: 1 } } } })),
        },
      },
      undefined,
      undefined,
      'user-kubectl',
      undefined,
      PatchStrategy.MergePatch,
    );
    t.istio = { corsPolicy: { allowMethods: ['GET'] } };
    await p.setRoutes(t, { primaryWeight: 90, canaryWeight: 10 });
    const v = await vs();
    const route = (v.spec?.http as Record<string, unknown>[] | undefined)?.[0];
    expect(route?.retries).toBeUndefined();
    expect(route?.corsPolicy).toEqual({ allowMethods: ['GET'] });
    expect(route?.fault).toEqual({ delay: { fixedDelay: '1s', percentage: { value: 1 } } });
    expect(v.metadata?.annotations?.['sluice.dev/route-fields']).toBe('corsPolicy');
  });
});

describe('gateway-api provider with gatewayRefs, apex metadata and session affinity', () => {
  let t: RouteTarget;
  const p = createTrafficProvider('gateway-api', { kube });
  const route = () => read('gateway.networking.k8s.io/v1', 'HTTPRoute', t.namespace, 'web');
  const backend = (name: string, weight: number, setCookie?: string) => ({
    group: '',
    kind: 'Service',
    name,
    port: 9898,
    weight,
    ...(setCookie
      ? {
          filters: [
            {
              type: 'ResponseHeaderModifier',
              responseHeaderModifier: { add: [{ name: 'Set-Cookie', value: setCookie }] },
            },
          ],
        }
      : {}),
  });
  beforeAll(async () => {
    t = await setUp('gateway');
    t.gatewayRefs = [{ name: 'public', namespace: 'gateways', sectionName: 'https' }];
    t.metadata = { labels: { team: 'web' } };
    t.sessionAffinity = { cookieName: 'sticky', maxAge: 3600 };
  });

  it('attaches to the gatewayRefs as written', async () => {
    await p.reconcile(t);
    const r = await route();
    expect(r.metadata?.labels).toMatchObject({ team: 'web', 'sluice.dev/rollout': 'web' });
    expect((r.spec?.parentRefs as unknown[] | undefined)?.[0]).toMatchObject({
      name: 'public',
      namespace: 'gateways',
      sectionName: 'https',
    });
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });

  it('adds a sticky rule and a Set-Cookie filter on the canary backend while the canary gets traffic', async () => {
    await p.setRoutes(t, { primaryWeight: 60, canaryWeight: 40 });
    const r = await route();
    const cookie = r.metadata?.annotations?.[SESSION_COOKIE_ANNOTATION] ?? '';
    expect(cookie).toMatch(/^sticky=[0-9a-f]{24}$/);
    const rules = r.spec?.rules as Record<string, unknown>[];
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatchObject({
      matches: [
        {
          headers: [
            {
              type: 'RegularExpression',
              name: 'Cookie',
              value: `^(.*?;)?( ?sticky=${cookie.split('=')[1]})(;.*)?$`,
            },
          ],
        },
      ],
      backendRefs: [backend('web-primary', 0), backend('web-canary', 100)],
    });
    expect(rules[1]?.backendRefs).toEqual([
      backend('web-primary', 60),
      backend('web-canary', 40, `${cookie}; Max-Age=3600`),
    ]);
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 60, canaryWeight: 40, mirrored: false });
    await p.finalize(t);
    const after = (await route()).spec?.rules as Record<string, unknown>[];
    expect(after[0]?.backendRefs).toEqual([
      backend('web-primary', 100, `${cookie}; Max-Age=-1`),
      backend('web-canary', 0),
    ]);
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });
});

describe('gateway-api provider with service.match and service.headers (Flagger translates them)', () => {
  let t: RouteTarget;
  const p = createTrafficProvider('gateway-api', { kube });
  const route = () => read('gateway.networking.k8s.io/v1', 'HTTPRoute', t.namespace, 'web');
  const paths = [
    { path: { type: 'PathPrefix', value: '/api' }, method: 'GET' },
    {
      path: { type: 'PathPrefix', value: '/' },
      headers: [{ type: 'RegularExpression', name: 'x-tenant', value: '^[a-z]+$' }],
      queryParams: [{ type: 'Exact', name: 'preview', value: 'true' }],
    },
  ];
  const filters = [
    {
      type: 'RequestHeaderModifier',
      requestHeaderModifier: {
        set: [{ name: 'x-route', value: 'web' }],
        add: [{ name: 'x-env', value: 'prod' }],
      },
    },
    { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['x-envoy-upstream-service-time'] } },
  ];
  beforeAll(async () => {
    t = await setUp('gw-match');
    t.gatewayRefs = [{ name: 'public', namespace: 'gateways' }];
    t.istio = {
      match: [
        { uri: { prefix: '/api' }, method: { exact: 'GET' } },
        {
          uri: { prefix: '/' },
          headers: { 'x-tenant': { regex: '^[a-z]+$' } },
          queryParams: { preview: { exact: 'true' } },
        },
      ],
      headers: {
        request: { set: { 'x-route': 'web' }, add: { 'x-env': 'prod' } },
        response: { remove: ['x-envoy-upstream-service-time'] },
      },
    };
  });

  it('has the matches and header filters on the rule during a canary and after promotion', async () => {
    await p.reconcile(t);
    await p.setRoutes(t, { primaryWeight: 70, canaryWeight: 30 });
    const during = (await route()).spec?.rules as Record<string, unknown>[];
    expect(during).toHaveLength(1);
    expect(during[0]).toMatchObject({ matches: paths, filters });
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 70, canaryWeight: 30, mirrored: false });
    await p.finalize(t);
    const after = await route();
    expect(((after.spec?.rules ?? []) as Record<string, unknown>[])[0]).toMatchObject({
      matches: paths,
      filters,
    });
    expect(after.metadata?.annotations?.['sluice.dev/route-filters']).toBe(
      'RequestHeaderModifier,ResponseHeaderModifier',
    );
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });

  it('combines A/B matches with each service match on the A/B rule', async () => {
    await p.setRoutes(t, {
      primaryWeight: 0,
      canaryWeight: 100,
      match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
    });
    const rules = (await route()).spec?.rules as { matches?: { headers?: unknown[] }[] }[];
    expect(rules).toHaveLength(2);
    expect(rules[0]?.matches?.map((m) => m.headers)).toEqual([
      [{ type: 'Exact', name: 'x-canary', value: 'insider' }],
      [
        { type: 'RegularExpression', name: 'x-tenant', value: '^[a-z]+$' },
        { type: 'Exact', name: 'x-canary', value: 'insider' },
      ],
    ]);
    await p.finalize(t);
  });

  it("keeps another team's HTTPRoute of the same name untouched, and applies nothing for an injected header or a foreign gateway", async () => {
    // Another team's route named like ours, in their namespace: the provider only ever writes <service> in the Rollout's.
    const victim = await setUp('gw-victim');
    const theirs = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: victim.namespace },
      spec: {
        parentRefs: [{ name: 'public', namespace: 'gateways' }],
        rules: [{ backendRefs: [{ name: 'web-primary', port: 9898 }] }],
      },
    };
    await objects.create(theirs);
    const before = await read('gateway.networking.k8s.io/v1', 'HTTPRoute', victim.namespace, 'web');
    const generation = (await route()).metadata?.generation;
    const inject = { ...t, istio: { headers: { request: { set: { 'x-a': 'ok\r\nx-admin: true' } } } } };
    await expect(p.setRoutes(inject, { primaryWeight: 90, canaryWeight: 10 })).rejects.toThrow(
      /service\.headers\.request\.set\.x-a: a header value is one line/,
    );
    const foreign = { ...t, istio: { match: [{ gateways: [`${victim.namespace}/public`] }] } };
    await expect(p.setRoutes(foreign, { primaryWeight: 90, canaryWeight: 10 })).rejects.toThrow(
      /service\.match\.0\.gateways: the Gateway API's HTTPRouteMatch cannot express gateways/,
    );
    expect((await route()).metadata?.generation).toBe(generation);
    const after = await read('gateway.networking.k8s.io/v1', 'HTTPRoute', victim.namespace, 'web');
    expect(after.metadata?.generation).toBe(before.metadata?.generation);
    expect(after.spec?.rules).toEqual(before.spec?.rules);
  });
});

describe('gateway-api provider with service.rewrite (a URLRewrite filter, as Flagger writes it)', () => {
  let t: RouteTarget;
  const p = createTrafficProvider('gateway-api', { kube });
  type Rule = { filters?: { type: string; urlRewrite?: unknown }[] };
  const rule = async () =>
    (
      (await read('gateway.networking.k8s.io/v1', 'HTTPRoute', t.namespace, 'web')).spec?.rules as
        | Rule[]
        | undefined
    )?.[0];
  beforeAll(async () => {
    t = await setUp('gw-rewrite');
    t.gatewayRefs = [{ name: 'public', namespace: 'gateways' }];
  });

  it('replaces the matched prefix, then the whole path, then drops the filter once the Rollout stops setting it', async () => {
    // The API server checks the Gateway API's own rule: a prefix replacement needs one PathPrefix match.
    t.istio = {
      match: [{ uri: { prefix: '/api' } }],
      rewrite: { uri: '/v2', authority: 'web.internal', type: 'ReplacePrefixMatch' },
    };
    await p.reconcile(t);
    await p.setRoutes(t, { primaryWeight: 70, canaryWeight: 30 });
    expect((await rule())?.filters).toEqual([
      {
        type: 'URLRewrite',
        urlRewrite: {
          hostname: 'web.internal',
          path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' },
        },
      },
    ]);
    t.istio = { rewrite: { uri: '/healthz' } }; // Flagger's default: the whole path
    await p.reconcile(t);
    await p.setRoutes(t, { primaryWeight: 70, canaryWeight: 30 });
    expect((await rule())?.filters).toEqual([
      { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/healthz' } } },
    ]);
    t.istio = {};
    await p.reconcile(t);
    await p.setRoutes(t, { primaryWeight: 100, canaryWeight: 0 });
    expect((await rule())?.filters ?? []).toEqual([]);
    await p.finalize(t);
  });
});

describe('sticky primary (primaryCookieName) on the real routes', () => {
  const both = {
    cookieName: 'flagger-cookie',
    maxAge: 21600,
    primaryCookieName: 'primary-cookie',
    primaryMaxAge: 60,
  };

  it('istio: a sticky-primary route and a primary Set-Cookie while the canary gets traffic, none after', async () => {
    const t = await setUp('istio-primary');
    t.sessionAffinity = both;
    const p = createTrafficProvider('istio', { kube });
    const vs = () => read('networking.istio.io/v1', 'VirtualService', t.namespace, 'web');
    await p.reconcile(t);
    await p.setRoutes(t, { primaryWeight: 90, canaryWeight: 10 });
    const v = await vs();
    const primary = v.metadata?.annotations?.[PRIMARY_COOKIE_ANNOTATION] ?? '';
    expect(primary).toMatch(/^primary-cookie=[0-9a-f]{24}$/);
    const http = v.spec?.http as Record<string, unknown>[];
    expect(http.map((r) => r.name)).toEqual(['sticky-route', 'sticky-primary-route', undefined]);
    expect(http[1]).toEqual({
      name: 'sticky-primary-route',
      match: [
        { headers: { cookie: { regex: `^(.*?;)?( ?primary-cookie=${primary.split('=')[1]})(;.*)?$` } } },
      ],
      route: [dest('web-primary', 100), dest('web-canary', 0)],
    });
    expect(((http[2]?.route ?? []) as unknown[])[0]).toEqual(
      dest('web-primary', 90, { response: { add: { 'Set-Cookie': `${primary}; Max-Age=60` } } }),
    );
    // A retried step keeps the primary cookie; the next step makes a new one.
    await p.setRoutes(t, { primaryWeight: 90, canaryWeight: 10 });
    expect((await vs()).metadata?.annotations?.[PRIMARY_COOKIE_ANNOTATION]).toBe(primary);
    await p.setRoutes(t, { primaryWeight: 80, canaryWeight: 20 });
    const next = (await vs()).metadata?.annotations?.[PRIMARY_COOKIE_ANNOTATION];
    expect(next).toMatch(/^primary-cookie=/);
    expect(next).not.toBe(primary);
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 80, canaryWeight: 20, mirrored: false });
    await p.finalize(t);
    const after = await vs();
    expect(after.metadata?.annotations?.[PRIMARY_COOKIE_ANNOTATION]).toBeUndefined();
    expect(((after.spec?.http ?? []) as Record<string, unknown>[]).map((r) => r.name)).toEqual([
      'sticky-route',
      undefined,
    ]);
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });

  it('gateway-api: a sticky-primary rule and a Set-Cookie filter on the primary backend, none after', async () => {
    const t = await setUp('gw-primary');
    t.gatewayRefs = [{ name: 'public', namespace: 'gateways' }];
    t.sessionAffinity = both;
    const p = createTrafficProvider('gateway-api', { kube });
    const route = () => read('gateway.networking.k8s.io/v1', 'HTTPRoute', t.namespace, 'web');
    await p.reconcile(t);
    await p.setRoutes(t, { primaryWeight: 60, canaryWeight: 40 });
    const r = await route();
    const primary = r.metadata?.annotations?.[PRIMARY_COOKIE_ANNOTATION] ?? '';
    expect(primary).toMatch(/^primary-cookie=[0-9a-f]{24}$/);
    const rules = r.spec?.rules as Record<string, unknown>[];
    expect(rules).toHaveLength(3);
    expect(rules[1]).toMatchObject({
      matches: [
        {
          headers: [
            {
              type: 'RegularExpression',
              name: 'Cookie',
              value: `^(.*?;)?( ?primary-cookie=${primary.split('=')[1]})(;.*)?$`,
            },
          ],
        },
      ],
      backendRefs: [
        { name: 'web-primary', weight: 100 },
        { name: 'web-canary', weight: 0 },
      ],
    });
    expect(((rules[2]?.backendRefs ?? []) as Record<string, unknown>[])[0]).toMatchObject({
      name: 'web-primary',
      weight: 60,
      filters: [
        {
          type: 'ResponseHeaderModifier',
          responseHeaderModifier: { add: [{ name: 'Set-Cookie', value: `${primary}; Max-Age=60` }] },
        },
      ],
    });
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 60, canaryWeight: 40, mirrored: false });
    await p.finalize(t);
    const after = await route();
    expect(after.metadata?.annotations?.[PRIMARY_COOKIE_ANNOTATION]).toBeUndefined();
    expect(after.spec?.rules as unknown[]).toHaveLength(2);
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });
});
