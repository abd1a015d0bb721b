// Realistic Flagger Canaries (test/fixtures/flagger-canaries, written from Flagger's documented examples):
// each converts and what `sluice convert` writes validates as Sluice files, or it is refused with exactly
// the errors its table row names.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatLoadError, loadPipelineFiles } from '../../../../../schemas/loader/index.js';

const dir = new URL('../../../../fixtures/flagger-canaries/', import.meta.url);
const names = readdirSync(dir).filter((n) => n.endsWith('.yaml'));
const read = (name: string) => ({ path: name, content: readFileSync(new URL(name, dir), 'utf8') });

// A Flagger provider Sluice has no plugin for, and what the refusal tells the user to do instead.
const noPlugin = (flagger: string, instead: string) => [
  `spec.provider: Flagger provider "${flagger}" has no Sluice traffic plugin (${instead}`,
];
const gatewayApi = 'implements the Gateway API: write spec.provider: gatewayapi:v1';

// Each fixture → the errors it must be refused with, as "field: message fragment" (empty: it converts).
const expected: Record<string, string[]> = {
  'apisix-canary.yaml': [
    ...noPlugin('apisix', `APISIX ${gatewayApi}`),
    'spec.routeRef: not converted: Flagger Canary field with no Sluice equivalent',
  ],
  'appmesh-canary.yaml': noPlugin(
    'appmesh:v1beta2',
    'Sluice has no App Mesh provider: move the service to istio or linkerd',
  ),
  'contour-canary.yaml': noPlugin('contour', `Contour ${gatewayApi}`),
  'gatewayapi-ab.yaml': [],
  'gatewayapi-bluegreen.yaml': [],
  'gatewayapi-canary.yaml': [],
  'gatewayapi-primary-cookie.yaml': [],
  'gatewayapi-rewrite.yaml': [],
  'gatewayapi-routing.yaml': [],
  'gatewayapi-session-affinity.yaml': [],
  'gloo-canary.yaml': noPlugin('gloo', `Gloo Gateway ${gatewayApi}`),
  'istio-ab-cookie.yaml': [],
  'istio-ab.yaml': [],
  'istio-alerts.yaml': [],
  'istio-bluegreen.yaml': [],
  'istio-cookie-attributes.yaml': [],
  'istio-mirror.yaml': [],
  'istio-podinfo.yaml': [],
  'istio-routing.yaml': [],
  'istio-session-affinity.yaml': [],
  'istio-webhooks.yaml': [],
  // Knative has no Service port and no Deployment: each missing piece is named.
  'knative-canary.yaml': [
    'spec.service.port: missing required field',
    ...noPlugin('knative', "Knative splits traffic between its own Revisions: keep Knative's traffic split"),
    'spec.targetRef.kind: Sluice rolls out Deployments only, not Service',
  ],
  'kubernetes-ab.yaml': [
    'spec.provider: provider "kubernetes" cannot route by header or cookie: strategy.abTesting needs istio, gateway-api or nginx',
  ],
  'kubernetes-bluegreen.yaml': [],
  'kuma-canary.yaml': noPlugin('kuma', `Kuma's built-in gateway ${gatewayApi}`),
  'legacy-canary-analysis.yaml': [],
  // Flagger itself dropped inline queries and percentage thresholds; the name was never a DNS label.
  'legacy-inline-query.yaml': [
    'spec.canaryAnalysis.metrics[0].templateRef: missing required field',
    'spec.canaryAnalysis.metrics[0].name: must be a lowercase DNS label',
    'spec.canaryAnalysis.metrics[0].threshold: deprecated Flagger field, not converted (use thresholdRange)',
    'spec.canaryAnalysis.metrics[0].query: inline queries are deprecated in Flagger and not converted (move the query into a MetricTemplate',
  ],
  'legacy-v1alpha3.yaml': [
    'apiVersion: Canary flagger.app/v1alpha3 is not converted: Sluice reads Canary as flagger.app/v1beta1 (upgrade the file to flagger.app/v1beta1',
  ],
  'linkerd-autoscaler.yaml': [
    "spec.autoscalerRef.primaryScalerReplicas: Sluice's primary gets a copy of the target's HorizontalPodAutoscaler, with the same replica bounds (set minReplicas and maxReplicas",
  ],
  'linkerd-canary.yaml': [],
  'nginx-ab.yaml': [],
  'nginx-canary.yaml': [],
  'nginx-session-affinity.yaml': [
    'spec.analysis.sessionAffinity: provider "nginx" has no use for service.sessionAffinity: Flagger\'s nginx router has no session affinity either (only istio and gateway-api carry it out) (for sticky sessions set ingress-nginx\'s own cookie affinity on your Ingress',
  ],
  'no-provider-ab.yaml': [],
  'no-provider-bluegreen.yaml': [],
  'no-provider.yaml': [],
  'osm-canary.yaml': [],
  'skipper-canary.yaml': noPlugin(
    'skipper',
    'Sluice has no Skipper provider: route through an NGINX Ingress',
  ),
  'smi-v1alpha2.yaml': [],
  'traefik-canary.yaml': noPlugin('traefik', `Traefik ${gatewayApi}`),
};
const converting = names.filter((n) => expected[n]?.length === 0);
const refused = names.filter((n) => expected[n]?.length);

describe('Flagger Canary corpus', () => {
  it('holds 30 Canaries or more, every one with an expected outcome, over every provider Flagger documents', () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(names.filter((n) => !expected[n])).toEqual([]);
    const providers = new Set(
      names.flatMap((n) => [...read(n).content.matchAll(/^ {2}provider: (\S+)/gm)].map((m) => m[1])),
    );
    for (const flagger of ['istio', 'linkerd', 'appmesh', 'contour', 'gloo', 'nginx', 'skipper', 'traefik'])
      expect(
        [...providers].some((p) => p?.startsWith(flagger)),
        flagger,
      ).toBe(true);
    for (const flagger of ['osm', 'kuma', 'gatewayapi', 'apisix', 'knative', 'kubernetes', 'smi'])
      expect(
        [...providers].some((p) => p?.startsWith(flagger)),
        flagger,
      ).toBe(true);
  });

  it.each(converting)('%s converts and its conversion validates', (name) => {
    // The administrator's default as Flagger's meshProvider: istio, the most common.
    const converted = loadPipelineFiles([read(name)], { defaultProvider: 'istio' });
    expect(converted.errors.map(formatLoadError)).toEqual([]);
    expect(converted.warnings.map(formatLoadError)).toEqual([]);
    expect(converted.objects.some((o) => o.kind === 'Rollout')).toBe(true);
    const out = converted.objects.map(({ source: _, ...o }) => `---\n${stringify(o)}`).join('');
    const again = loadPipelineFiles([{ path: `${name}.sluice.yaml`, content: out }]);
    expect(again.errors.map(formatLoadError)).toEqual([]);
    expect(again.objects.map((o) => o.kind)).toEqual(converted.objects.map((o) => o.kind));
  });

  it.each(refused)('%s is refused with the errors it is expected to have, each naming its field', (name) => {
    const r = loadPipelineFiles([read(name)], { defaultProvider: 'istio' });
    const got = r.errors.map((e) => `${e.field}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    expect(got).toHaveLength(expected[name]?.length ?? 0);
    got.forEach((g, i) => {
      expect(
        g.startsWith(expected[name]?.[i] ?? '\0'),
        `${g}\n  expected to start with\n${expected[name]?.[i]}`,
      ).toBe(true);
    });
  });

  it('maps OSM and versioned SMI names to the smi plugin, as Flagger routes them', () => {
    const provider = (name: string) =>
      loadPipelineFiles([read(name)]).objects.find((o) => o.kind === 'Rollout')?.spec;
    expect(provider('osm-canary.yaml')).toMatchObject({ provider: 'smi' });
    expect(provider('smi-v1alpha2.yaml')).toMatchObject({ provider: 'smi' });
    const text = read('smi-v1alpha2.yaml').content.replace('smi:v1alpha2', 'smi:v1alpha3:osm');
    const r = loadPipelineFiles([{ path: 'c.yaml', content: text }]);
    expect(r.errors.map(formatLoadError)).toEqual([]);
    expect(r.objects.find((o) => o.kind === 'Rollout')?.spec).toMatchObject({ provider: 'smi' });
  });

  it('carries every webhook type and alert, and the templateVariables of a custom metric', () => {
    const spec = (name: string) =>
      loadPipelineFiles([read(name)]).objects.find((o) => o.kind === 'Rollout')?.spec as
        | { analysis: Record<string, unknown[]> }
        | undefined;
    expect(spec('istio-webhooks.yaml')?.analysis.webhooks?.map((w) => (w as { type?: string }).type)).toEqual(
      [
        'confirm-rollout',
        'pre-rollout',
        'rollout',
        'confirm-traffic-increase',
        'confirm-promotion',
        'post-rollout',
        'rollback',
        'event',
      ],
    );
    expect(spec('istio-alerts.yaml')?.analysis).toMatchObject({
      metrics: [
        { name: 'latency-p99', templateRef: { name: 'latency-p99' }, variables: { path: '/api/pay' } },
      ],
      alerts: [{ name: 'on-call', severity: 'error', providerRef: { name: 'on-call' } }],
    });
  });

  it('a Canary without a provider needs the default for its Istio fields, strategy and built-in metrics', () => {
    const r = loadPipelineFiles([read('no-provider.yaml')]);
    expect(r.errors.map((e) => e.field)).toEqual([
      'spec.service.trafficPolicy',
      'spec.provider',
      'spec.canaryAnalysis.metrics[0].name',
      'spec.canaryAnalysis.metrics[1].name',
    ]);
  });

  it("carries Istio's routing fields and the service metadata into the Rollout", () => {
    const r = loadPipelineFiles([read('istio-routing.yaml')]);
    const rollout = r.objects.find((o) => o.kind === 'Rollout');
    expect(rollout?.kind === 'Rollout' && rollout.spec.service).toEqual({
      port: 80,
      targetPort: 8080,
      portName: 'http',
      timeout: '30s',
      gateways: ['public-gateway.istio-system.svc.cluster.local', 'mesh'],
      hosts: ['shop.example.com', 'frontend'],
      match: [{ uri: { prefix: '/' } }],
      rewrite: { uri: '/' },
      headers: {
        request: { add: { 'x-envoy-upstream-rq-timeout-ms': '15000' } },
        response: { remove: ['x-envoy-upstream-service-time'] },
      },
      corsPolicy: {
        allowOrigins: [{ exact: 'https://shop.example.com' }],
        allowMethods: ['GET', 'POST'],
        allowCredentials: false,
        maxAge: '24h',
      },
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      apex: { labels: { team: 'shop' }, annotations: { 'shop.example.com/owner': 'storefront' } },
      primary: { labels: { track: 'stable' } },
      canary: { labels: { track: 'canary' } },
    });
  });

  it('reads analysis.sessionAffinity as service.sessionAffinity and gatewayRefs as they are', () => {
    const r = loadPipelineFiles([read('gatewayapi-session-affinity.yaml')]);
    const rollout = r.objects.find((o) => o.kind === 'Rollout');
    expect(rollout?.kind === 'Rollout' && rollout.spec).toMatchObject({
      provider: 'gateway-api',
      service: {
        gatewayRefs: [{ name: 'gateway', namespace: 'istio-ingress' }],
        sessionAffinity: { cookieName: 'flagger-cookie' },
      },
      strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
    });
  });

  it('carries a sticky primary cookie, and refuses one named like the canary cookie', () => {
    const r = loadPipelineFiles([read('gatewayapi-primary-cookie.yaml')]);
    expect(r.objects.find((o) => o.kind === 'Rollout')?.spec).toMatchObject({
      service: {
        sessionAffinity: {
          cookieName: 'flagger-cookie',
          maxAge: 21600,
          primaryCookieName: 'primary-flagger-cookie',
        },
      },
    });
    const text = read('istio-session-affinity.yaml').content.replace(
      'maxAge: 21600',
      'maxAge: 21600\n      primaryCookieName: flagger-cookie',
    );
    expect(loadPipelineFiles([{ path: 'c.yaml', content: text }]).errors.map(formatLoadError)).toEqual([
      'c.yaml:28:26: spec.analysis.sessionAffinity.primaryCookieName: the primary cookie needs a name of its own: it is the same as cookieName (name it differently, e.g. primary-<cookieName>)',
    ]);
  });

  it('carries the cookie attributes, and refuses one that would add an attribute of its own', () => {
    const r = loadPipelineFiles([read('istio-cookie-attributes.yaml')]);
    expect(r.objects.find((o) => o.kind === 'Rollout')?.spec).toMatchObject({
      service: {
        sessionAffinity: {
          domain: 'fluxcd.io',
          httpOnly: true,
          partitioned: true,
          path: '/flagger',
          sameSite: 'Strict',
          secure: true,
        },
      },
    });
    const errors = (from: string, to: string) =>
      loadPipelineFiles([
        { path: 'c.yaml', content: read('istio-cookie-attributes.yaml').content.replace(from, to) },
      ]).errors.map((e) => `${e.line}: ${e.field}: ${e.message}`);
    // A value that would end the Path attribute and add a Domain of its own to the Set-Cookie header.
    expect(errors('path: /flagger', 'path: "/flagger; Domain=evil.example"')).toEqual([
      '35: spec.analysis.sessionAffinity.path: must match ^/[!-:<-~]*$',
    ]);
    expect(errors('secure: true', 'secure: false')).toEqual([
      '33: spec.analysis.sessionAffinity.partitioned: browsers drop a cookie with Partitioned that is not Secure',
    ]);
  });

  it("carries a gateway-api Canary's match and headers, and names what the Gateway API cannot express", () => {
    const rewrite = loadPipelineFiles([read('gatewayapi-rewrite.yaml')]);
    expect(rewrite.objects.find((o) => o.kind === 'Rollout')?.spec).toMatchObject({
      provider: 'gateway-api',
      service: {
        match: [{ uri: { prefix: '/catalog' } }],
        rewrite: { uri: '/', authority: 'catalog.shop.svc.cluster.local', type: 'ReplacePrefixMatch' },
      },
    });
    const r = loadPipelineFiles([read('gatewayapi-routing.yaml')]);
    expect(r.objects.find((o) => o.kind === 'Rollout')?.spec).toMatchObject({
      provider: 'gateway-api',
      service: {
        match: [{ uri: { prefix: '/api' }, method: { exact: 'GET' } }, { uri: { prefix: '/' } }],
        headers: { response: { remove: ['x-envoy-upstream-service-time'] } },
      },
    });
    const text = read('gatewayapi-routing.yaml')
      .content.replace(
        '        method:\n          exact: GET',
        '        authority:\n          exact: shop.example.com',
      )
      .replace(
        '        set:\n          x-shop-route: frontend',
        '        set:\n          x-shop-route: "a\\r\\nx-injected: 1"',
      );
    expect(loadPipelineFiles([{ path: 'c.yaml', content: text }]).errors.map(formatLoadError)).toEqual([
      "c.yaml:38:9: spec.service.match[0].authority: the Gateway API's HTTPRouteMatch cannot express authority (with provider gateway-api a match has uri, method, headers, queryParams)",
      'c.yaml:54:25: spec.service.headers.request.set.x-shop-route: a header value is one line of at most 4096 characters',
    ]);
  });

  it('refuses an autoscalerRef to anything but a HorizontalPodAutoscaler', () => {
    const text = read('nginx-canary.yaml').content.replace(
      'kind: HorizontalPodAutoscaler',
      'kind: ScaledObject',
    );
    const r = loadPipelineFiles([{ path: 'c.yaml', content: text }]);
    expect(r.errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'spec.autoscalerRef.kind: Sluice copies HorizontalPodAutoscalers for the primary, not ScaledObject',
    ]);
  });
});
