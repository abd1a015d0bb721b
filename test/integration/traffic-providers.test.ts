import {
  type KubernetesObject,
  PatchStrategy,
  type V1Ingress,
  type V1Service,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeClients } from '../../activities/kube/client.js';
import { MissingKindError } from '../../activities/kube/object-api.js';
import type { RequestMatch, RouteSpec, RouteTarget } from '../../core/traffic/routes.js';
import { UnknownPluginError } from '../../plugins/renderers/renderer.js';
import { TrafficConfigError } from '../../plugins/traffic/errors.js';
import { createTrafficProvider, trafficProviderNames } from '../../plugins/traffic/factory.js';
import { servedApiVersion } from '../../plugins/traffic/kube.js';
import type { TrafficProvider } from '../../plugins/traffic/types.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';

// Every provider against the real API server: the routing objects must hold exactly the weights and matches
// asked for after each step, getRoutes must read them back, and fields a user added must survive.

const kube = kubeClients(stackPaths(loadStackConfig()).kubeconfig);
const objects = kube.objects;
const suffix = Date.now().toString(36);
const namespaces: string[] = [];

type Obj = KubernetesObject & { spec?: Record<string, unknown> };
const read = (apiVersion: string, kind: string, namespace: string, name: string) =>
  objects.read({ apiVersion, kind, metadata: { name, namespace } }) as Promise<Obj>;
/** A user's edit (as kubectl edit or patch would make it), under another field manager. */
const userPatch = (obj: Obj) =>
  objects.patch(obj, undefined, undefined, 'user-kubectl', undefined, PatchStrategy.MergePatch);

const abMatch: RequestMatch[] = [
  { headers: { 'x-canary': { exact: 'insider' } }, cookies: { canary: { exact: 'always' } } },
];
const steps: { name: string; spec: RouteSpec; want: { primaryWeight: number; canaryWeight: number } }[] = [
  {
    name: 'all on the canary',
    spec: { primaryWeight: 0, canaryWeight: 100 },
    want: { primaryWeight: 0, canaryWeight: 100 },
  },
  {
    name: '20/80',
    spec: { primaryWeight: 20, canaryWeight: 80 },
    want: { primaryWeight: 20, canaryWeight: 80 },
  },
  {
    name: 'A/B',
    spec: { primaryWeight: 0, canaryWeight: 100, match: abMatch },
    want: { primaryWeight: 0, canaryWeight: 100 },
  },
  {
    name: 'all on the primary',
    spec: { primaryWeight: 100, canaryWeight: 0 },
    want: { primaryWeight: 100, canaryWeight: 0 },
  },
];

/** A fresh namespace with the apex, primary and canary Services of app `web` (and optionally the user's Ingress). */
async function setUp(provider: string, opts: { ingress?: boolean } = {}): Promise<RouteTarget> {
  const namespace = `traffic-${provider}-${suffix}`;
  namespaces.push(namespace);
  await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
  const service = (name: string, app: string): V1Service => ({
    metadata: { name, namespace },
    spec: { selector: { app }, ports: [{ name: 'http', port: 9898, protocol: 'TCP' }] },
  });
  await kube.core.createNamespacedService({ namespace, body: service('web', 'web-primary') });
  await kube.core.createNamespacedService({ namespace, body: service('web-primary', 'web-primary') });
  await kube.core.createNamespacedService({ namespace, body: service('web-canary', 'web') });
  if (opts.ingress) {
    const ingress: V1Ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'web',
        namespace,
        labels: { team: 'blue' },
        annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' },
      },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'web.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'web', port: { number: 9898 } } },
                },
              ],
            },
          },
        ],
      },
    };
    await objects.create(ingress);
  }
  return {
    namespace,
    service: 'web',
    primaryService: 'web-primary',
    canaryService: 'web-canary',
    port: 9898,
    portName: 'http',
    hosts: ['web'],
    gateways: [],
    rollout: 'web',
    ...(opts.ingress ? { ingress: 'web' } : {}),
  };
}

afterAll(async () => {
  for (const name of namespaces) await kube.core.deleteNamespace({ name }).catch(() => {});
});

/** Sets each step and checks the cluster object (via check) and getRoutes after it. */
async function walk(
  p: TrafficProvider,
  t: RouteTarget,
  check: (step: (typeof steps)[number]) => Promise<void>,
  only: (s: (typeof steps)[number]) => boolean = () => true,
) {
  for (const step of steps.filter(only)) {
    await p.setRoutes(t, step.spec);
    await check(step);
    expect(await p.getRoutes(t), step.name).toEqual({ ...step.want, mirrored: false });
    // Setting the same routes again changes nothing (absolute, idempotent).
    await p.setRoutes(t, step.spec);
    await check(step);
  }
}

describe('traffic provider factory', () => {
  it('lists the providers and rejects an unknown name with a suggestion', () => {
    expect(trafficProviderNames()).toEqual(['gateway-api', 'istio', 'kubernetes', 'linkerd', 'nginx', 'smi']);
    expect(() => createTrafficProvider('istoi', { kube })).toThrow(UnknownPluginError);
    expect(() => createTrafficProvider('istoi', { kube })).toThrow(
      /did you mean "istio"\?.*known providers: gateway-api, istio/,
    );
  });

  it('names the CRD to install when a kind is not served', async () => {
    const source = {
      group: 'example.invalid',
      kind: 'Split',
      versions: ['v1'],
      crd: 'splits.example.invalid',
    };
    await expect(servedApiVersion(objects, source)).rejects.toThrow(MissingKindError);
    await expect(servedApiVersion(objects, source)).rejects.toThrow(
      /install the CustomResourceDefinition splits.example.invalid/,
    );
  });
});

describe('kubernetes provider (blue/green)', () => {
  let t: RouteTarget;
  const p = createTrafficProvider('kubernetes', { kube });
  beforeAll(async () => {
    t = await setUp('kubernetes');
  });

  it('switches the apex selector between primary and canary, and refuses a weighted split', async () => {
    await p.reconcile(t);
    const selector = async () =>
      ((await read('v1', 'Service', t.namespace, 'web')) as V1Service).spec?.selector;
    expect(await selector()).toEqual({ app: 'web-primary' });
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    await walk(
      p,
      t,
      async (s) =>
        expect(await selector(), s.name).toEqual({
          app: s.want.canaryWeight === 100 ? 'web' : 'web-primary',
        }),
      (s) => !s.spec.match && s.spec.canaryWeight % 100 === 0,
    );
    await expect(p.setRoutes(t, { primaryWeight: 50, canaryWeight: 50 })).rejects.toThrow(TrafficConfigError);
    await expect(p.setRoutes(t, { primaryWeight: 50, canaryWeight: 50 })).rejects.toThrow(
      /only switches all traffic \(blue\/green\); use istio, gateway-api, nginx or smi/,
    );
    await p.setRoutes(t, { primaryWeight: 0, canaryWeight: 100 });
    await p.finalize(t);
    expect(await selector()).toEqual({ app: 'web-primary' });
    // A selector key neither side has (someone else's) would narrow the apex to no pods: it goes.
    await userPatch({
      ...header(await read('v1', 'Service', t.namespace, 'web')),
      spec: { selector: { tier: 'x' } },
    });
    await expect(p.getRoutes(t)).rejects.toThrow(/neither the primary's .* nor the canary's/);
    await p.setRoutes(t, { primaryWeight: 0, canaryWeight: 100 });
    expect(await selector()).toEqual({ app: 'web' });
  });
});

describe('istio provider', () => {
  let t: RouteTarget;
  const p = createTrafficProvider('istio', { kube });
  const vs = () => read('networking.istio.io/v1', 'VirtualService', t.namespace, 'web');
  beforeAll(async () => {
    t = await setUp('istio');
    t.timeout = '30s';
  });

  it('creates the VirtualService and DestinationRules with all traffic on the primary', async () => {
    await p.reconcile(t);
    const v = await vs();
    expect(v.spec).toEqual({
      hosts: ['web'],
      http: [
        {
          route: [
            { destination: { host: 'web-primary', port: { number: 9898 } }, weight: 100 },
            { destination: { host: 'web-canary', port: { number: 9898 } }, weight: 0 },
          ],
          timeout: '30s',
        },
      ],
    });
    for (const host of ['web-primary', 'web-canary'])
      expect((await read('networking.istio.io/v1', 'DestinationRule', t.namespace, host)).spec).toEqual({
        host,
      });
  });

  it('sets weights and A/B matches exactly, keeping what the user added', async () => {
    // The user adds an annotation, exportTo and retries on the route, and a trafficPolicy on a DestinationRule.
    const before = await vs();
    const http = httpOf(before).map((r) => ({
      ...r,
      retries: { attempts: 3 },
    }));
    await userPatch({
      ...header(before),
      metadata: { ...header(before).metadata, annotations: { 'team.example/owner': 'blue' } },
      spec: { exportTo: ['.'], http },
    });
    await userPatch({
      ...header(await read('networking.istio.io/v1', 'DestinationRule', t.namespace, 'web-canary')),
      spec: { trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
    });
    await walk(p, t, async (s) => {
      const v = await vs();
      expect(v.metadata?.annotations?.['team.example/owner'], s.name).toBe('blue');
      expect(v.spec?.exportTo, s.name).toEqual(['.']);
      const routes = httpOf(v);
      const dests = (r: Record<string, unknown>) =>
        (r.route as { destination: { host: string }; weight: number }[]).map((d) => [
          d.destination.host,
          d.weight,
        ]);
      const last = routes.at(-1) as Record<string, unknown>;
      expect(last.retries, s.name).toEqual({ attempts: 3 });
      expect(last.timeout, s.name).toBe('30s');
      if (s.spec.match) {
        expect(routes).toHaveLength(2);
        expect(routes[0]?.match, s.name).toEqual([
          {
            headers: {
              'x-canary': { exact: 'insider' },
              cookie: { regex: '^(.*?;)?( ?canary=always)(;.*)?$' },
            },
          },
        ]);
        expect(dests(routes[0] as Record<string, unknown>), s.name).toEqual([
          ['web-primary', 0],
          ['web-canary', 100],
        ]);
        expect(dests(last), s.name).toEqual([
          ['web-primary', 100],
          ['web-canary', 0],
        ]);
      } else {
        expect(routes, s.name).toHaveLength(1);
        expect(last.match, s.name).toBeUndefined();
        expect(dests(last), s.name).toEqual([
          ['web-primary', s.want.primaryWeight],
          ['web-canary', s.want.canaryWeight],
        ]);
      }
    });
    await p.reconcile(t);
    const dr = await read('networking.istio.io/v1', 'DestinationRule', t.namespace, 'web-canary');
    expect(dr.spec).toEqual({ host: 'web-canary', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
  });

  it('mirrors to the canary with all traffic on the primary', async () => {
    await p.setRoutes(t, { primaryWeight: 100, canaryWeight: 0, mirror: true });
    const route = httpOf(await vs());
    expect(route[0]?.mirror).toEqual({ host: 'web-canary', port: { number: 9898 } });
    expect(route[0]?.mirrorPercentage).toEqual({ value: 100 });
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: true });
    await p.finalize(t);
    expect(httpOf(await vs())[0]?.mirror).toBeUndefined();
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });
});

describe('gateway-api provider', () => {
  let t: RouteTarget;
  const p = createTrafficProvider('gateway-api', { kube });
  const route = () => read('gateway.networking.k8s.io/v1', 'HTTPRoute', t.namespace, 'web');
  beforeAll(async () => {
    t = await setUp('gateway-api');
    t.gateways = ['gateways/public', 'internal'];
    t.hosts = ['web.example.com'];
    t.timeout = '10s';
  });

  it('sets parentRefs, hostnames, weights and A/B matches exactly', async () => {
    await p.reconcile(t);
    const r = await route();
    expect(r.spec?.parentRefs).toEqual([
      expect.objectContaining({ namespace: 'gateways', name: 'public' }),
      expect.objectContaining({ name: 'internal' }),
    ]);
    expect(r.spec?.hostnames).toEqual(['web.example.com']);
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    await userPatch({
      ...header(r),
      metadata: { ...header(r).metadata, annotations: { 'team.example/owner': 'blue' } },
    });
    await walk(p, t, async (s) => {
      const h = await route();
      expect(h.metadata?.annotations?.['team.example/owner'], s.name).toBe('blue');
      const rules = h.spec?.rules as {
        matches?: { headers?: unknown }[];
        backendRefs: Record<string, unknown>[];
        timeouts?: unknown;
      }[];
      const refs = (i: number) => rules[i]?.backendRefs.map((b) => [b.name, b.port, b.weight]);
      for (const rule of rules) expect(rule.timeouts, s.name).toEqual({ request: '10s' });
      if (s.spec.match) {
        expect(rules, s.name).toHaveLength(2);
        expect(
          rules[0]?.matches?.map((m) => m.headers),
          s.name,
        ).toEqual([
          [
            { type: 'Exact', name: 'x-canary', value: 'insider' },
            { type: 'RegularExpression', name: 'Cookie', value: '^(.*?;)?( ?canary=always)(;.*)?$' },
          ],
        ]);
        expect(refs(0), s.name).toEqual([
          ['web-primary', 9898, 0],
          ['web-canary', 9898, 100],
        ]);
        expect(refs(1), s.name).toEqual([
          ['web-primary', 9898, 100],
          ['web-canary', 9898, 0],
        ]);
      } else {
        expect(rules, s.name).toHaveLength(1);
        expect(
          rules[0]?.matches?.some((m) => m.headers),
          s.name,
        ).toBeFalsy();
        expect(refs(0), s.name).toEqual([
          ['web-primary', 9898, s.want.primaryWeight],
          ['web-canary', 9898, s.want.canaryWeight],
        ]);
      }
    });
  });
  it('attaches to the apex Service when no gateway is named (mesh), and finalize leaves all on the primary', async () => {
    await p.setRoutes({ ...t, gateways: [] }, { primaryWeight: 50, canaryWeight: 50 });
    expect((await route()).spec?.parentRefs).toEqual([
      { group: '', kind: 'Service', name: 'web', port: 9898 },
    ]);
    await p.finalize(t);
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });
});

describe('nginx provider', () => {
  let t: RouteTarget;
  const p = createTrafficProvider('nginx', { kube });
  const canary = async () =>
    (await read('networking.k8s.io/v1', 'Ingress', t.namespace, 'web-canary')) as V1Ingress;
  const canaryAnnotations = async () =>
    Object.fromEntries(
      Object.entries((await canary()).metadata?.annotations ?? {}).filter(([k]) =>
        k.startsWith('nginx.ingress.kubernetes.io/canary'),
      ),
    );
  beforeAll(async () => {
    t = await setUp('nginx', { ingress: true });
  });

  it('refuses a target without an Ingress, or with one that does not exist', async () => {
    const { ingress: _, ...noIngress } = t;
    await expect(p.reconcile(noIngress)).rejects.toThrow(/needs the Rollout's ingressRef/);
    await expect(p.reconcile({ ...t, ingress: 'missing' })).rejects.toThrow(
      /Ingress .*\/missing .* does not exist/,
    );
  });

  it('clones the Ingress onto the canary Service and sets the canary annotations exactly', async () => {
    await p.reconcile(t);
    const c = await canary();
    expect(c.spec?.rules?.[0]?.http?.paths[0]?.backend.service?.name).toBe('web-canary');
    expect(c.spec?.ingressClassName).toBe('nginx');
    expect(c.metadata?.labels).toMatchObject({ team: 'blue', 'sluice.dev/rollout': 'web' });
    expect(c.metadata?.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('8m');
    expect(await canaryAnnotations()).toEqual({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '0',
    });
    await userPatch({
      ...header(c),
      metadata: { ...header(c).metadata, annotations: { 'team.example/owner': 'blue' } },
    });
    await walk(p, t, async (s) => {
      expect((await canary()).metadata?.annotations?.['team.example/owner'], s.name).toBe('blue');
      expect(await canaryAnnotations(), s.name).toEqual(
        s.spec.match
          ? {
              'nginx.ingress.kubernetes.io/canary': 'true',
              'nginx.ingress.kubernetes.io/canary-weight': '0',
              'nginx.ingress.kubernetes.io/canary-by-header': 'x-canary',
              'nginx.ingress.kubernetes.io/canary-by-header-value': 'insider',
              'nginx.ingress.kubernetes.io/canary-by-cookie': 'canary',
            }
          : {
              'nginx.ingress.kubernetes.io/canary': 'true',
              'nginx.ingress.kubernetes.io/canary-weight': String(s.want.canaryWeight),
            },
      );
    });
  });

  it('refuses more than one header, then finalize removes the canary Ingress', async () => {
    const two: RequestMatch[] = [{ headers: { a: { exact: '1' }, b: { exact: '2' } } }];
    await expect(p.setRoutes(t, { primaryWeight: 0, canaryWeight: 100, match: two })).rejects.toThrow(
      /at most one header and one cookie/,
    );
    await p.finalize(t);
    await expect(canary()).rejects.toMatchObject({ code: 404 });
    await p.finalize(t);
  });
});

describe.each(['smi', 'linkerd'])('%s provider', (name) => {
  let t: RouteTarget;
  const p = createTrafficProvider(name, { kube });
  const split = () => read('split.smi-spec.io/v1alpha4', 'TrafficSplit', t.namespace, 'web');
  beforeAll(async () => {
    t = await setUp(name);
  });

  it('splits the apex between primary and canary with exact weights', async () => {
    await p.reconcile(t);
    const s0 = await split();
    expect(s0.spec?.service).toBe('web');
    expect(await p.getRoutes(t)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    await userPatch({
      ...header(s0),
      metadata: { ...header(s0).metadata, annotations: { 'team.example/owner': 'blue' } },
    });
    await walk(
      p,
      t,
      async (s) => {
        const ts = await split();
        expect(ts.metadata?.annotations?.['team.example/owner'], s.name).toBe('blue');
        expect(ts.spec?.backends, s.name).toEqual([
          { service: 'web-primary', weight: s.want.primaryWeight },
          { service: 'web-canary', weight: s.want.canaryWeight },
        ]);
      },
      (s) => !s.spec.match,
    );
    await expect(p.setRoutes(t, { primaryWeight: 0, canaryWeight: 100, match: abMatch })).rejects.toThrow(
      /cannot route by header or cookie/,
    );
  });
});

/** apiVersion, kind, name and namespace of an object, for a patch. */
function header(o: KubernetesObject): Obj & { metadata: { name: string; namespace: string } } {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.metadata?.name ?? '', namespace: o.metadata?.namespace ?? '' },
  };
}

/** The http routes of a VirtualService. */
function httpOf(vs: Obj): Record<string, unknown>[] {
  return (vs.spec?.http ?? []) as Record<string, unknown>[];
}
