import { describe, expect, it } from 'vitest';
import { errorLines, load } from '../helpers.js';

const rollout = (spec: string) => `apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  targetRef: {name: web}
${spec}`;

const canary = rollout(`  service: {port: 80}
  strategy: {canary: {stepWeight: 10}}
  analysis:
    metrics: [{name: request-success-rate, thresholdRange: {min: 99}}]
`);

describe('the default traffic provider', () => {
  it('without one, a Rollout naming no provider is a kubernetes one (no weights, no built-in queries)', () => {
    expect(errorLines({ 'r.yaml': canary })).toEqual([
      'r.yaml:7:14: spec.provider: provider "kubernetes" (the default) only switches all traffic at once: it supports strategy.blueGreen only, not strategy.canary (weighted traffic needs spec.provider istio, gateway-api, nginx, linkerd or smi)',
      'r.yaml:9:22: spec.analysis.metrics[0].name: no built-in request-success-rate query for provider "kubernetes": use a MetricTemplate (give the check a templateRef to a MetricTemplate with your own query)',
    ]);
  });

  it('the administrator default validates the strategy and metrics and is written into spec.provider', () => {
    const r = load({ 'r.yaml': canary }, { defaultProvider: 'istio' });
    expect(r.errors).toEqual([]);
    expect(r.objects[0]).toMatchObject({ kind: 'Rollout', spec: { provider: 'istio' } });
  });

  it("a Rollout's own provider wins over the default", () => {
    const r = load(
      { 'r.yaml': canary.replace('  service:', '  provider: linkerd\n  service:') },
      {
        defaultProvider: 'istio',
      },
    );
    expect(r.errors).toEqual([]);
    expect(r.objects[0]).toMatchObject({ spec: { provider: 'linkerd' } });
  });

  it('converted Flagger Canaries without spec.provider take the default', () => {
    const flagger = `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  service: {port: 80}
  analysis:
    interval: 1m
    stepWeight: 10
    metrics: [{name: request-success-rate, thresholdRange: {min: 99}, interval: 1m}]
`;
    expect(load({ 'c.yaml': flagger }).errors.map((e) => e.field)).toEqual([
      'spec.provider',
      'spec.analysis.metrics[0].name',
    ]);
    const r = load({ 'c.yaml': flagger }, { defaultProvider: 'istio' });
    expect(r.errors).toEqual([]);
    expect(r.objects[0]).toMatchObject({ spec: { provider: 'istio' } });
  });
});

describe('routing fields and their providers', () => {
  it('names the field a provider has no use for', () => {
    const r = rollout(`  provider: nginx
  ingressRef: {name: web}
  service:
    port: 80
    corsPolicy: {allowOrigins: [{exact: "https://example.com"}]}
    gatewayRefs: [{name: gw}]
  strategy: {canary: {stepWeight: 10}}
`);
    expect(errorLines({ 'r.yaml': r })).toEqual([
      'r.yaml:10:5: spec.service.corsPolicy: provider "nginx" has no use for service.corsPolicy: only istio carries it out (set spec.provider to istio, or remove service.corsPolicy)',
      'r.yaml:11:5: spec.service.gatewayRefs: provider "nginx" has no use for service.gatewayRefs: only gateway-api carries it out (set spec.provider to gateway-api, or remove service.gatewayRefs)',
    ]);
  });

  it('says when the provider in question is the default', () => {
    const r = rollout(`  service: {port: 80, retries: {attempts: 3}}
  strategy: {blueGreen: {iterations: 3}}
`);
    expect(errorLines({ 'r.yaml': r })).toEqual([
      'r.yaml:6:23: spec.service.retries: provider "kubernetes" (the default) has no use for service.retries: only istio carries it out (set spec.provider to istio, or remove service.retries)',
    ]);
  });

  it('accepts every Istio field with istio and gatewayRefs with gateway-api', () => {
    const istio = rollout(`  provider: istio
  service:
    port: 80
    hosts: [web.example.com]
    gateways: [public]
    timeout: 30s
    match: [{uri: {prefix: /api}}]
    rewrite: {uri: /}
    retries: {attempts: 3, perTryTimeout: 1s, retryOn: "gateway-error,connect-failure"}
    headers: {request: {add: {x-env: prod}}}
    corsPolicy: {allowOrigins: [{exact: "https://example.com"}], allowMethods: [GET]}
    trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
    apex: {labels: {team: web}, annotations: {note: apex}}
    primary: {labels: {tier: primary}}
    canary: {annotations: {note: canary}}
    sessionAffinity: {cookieName: flagger-cookie, maxAge: 21600}
  strategy: {canary: {stepWeight: 10}}
`);
    const gw = rollout(`  provider: gateway-api
  service:
    port: 80
    gatewayRefs: [{name: public, namespace: gateways, sectionName: https}]
    sessionAffinity: {cookieName: sticky}
  strategy: {canary: {stepWeight: 10}}
`);
    expect(errorLines({ 'a.yaml': istio })).toEqual([]);
    expect(errorLines({ 'b.yaml': gw })).toEqual([]);
  });

  it('refuses gateways together with gatewayRefs', () => {
    const r = rollout(`  provider: gateway-api
  service: {port: 80, gateways: [gw], gatewayRefs: [{name: gw}]}
  strategy: {canary: {stepWeight: 10}}
`);
    expect(errorLines({ 'r.yaml': r })).toEqual([
      'r.yaml:7:23: spec.service.gateways: set service.gateways or service.gatewayRefs, not both (gatewayRefs says everything gateways does (namespace, sectionName, port))',
    ]);
  });

  it('session affinity needs a weighted canary', () => {
    const r = rollout(`  provider: istio
  service: {port: 80, sessionAffinity: {cookieName: sticky}}
  strategy: {blueGreen: {iterations: 3}}
`);
    expect(errorLines({ 'r.yaml': r })).toEqual([
      'r.yaml:7:23: spec.service.sessionAffinity: session affinity keeps a user on the canary while traffic shifts by weight: it needs strategy.canary (use strategy.canary, or remove service.sessionAffinity (A/B testing already routes by cookie))',
    ]);
  });

  // Attack: the cookie name becomes part of a header value and of a regular expression on the Cookie header.
  it('refuses a cookie name that could break out of the Set-Cookie header or the cookie regex', () => {
    for (const name of ['a;b', 'a=b', 'x\\r\\nSet-Cookie: admin', 'a,b', 'a b', 'a/b']) {
      const r = rollout(`  provider: istio
  service: {port: 80, sessionAffinity: {cookieName: "${name}"}}
  strategy: {canary: {stepWeight: 10}}
`);
      const errors = errorLines({ 'r.yaml': r });
      expect(errors, name).toHaveLength(1);
      expect(errors[0], name).toContain('spec.service.sessionAffinity.cookieName');
    }
  });

  // Attack: a pipeline file must not forge the label that says which Rollout owns an object.
  it('refuses labels and annotations under sluice.dev/ on generated objects', () => {
    const r = rollout(`  provider: istio
  service:
    port: 80
    apex: {labels: {sluice.dev/rollout: other}}
    canary: {annotations: {x.sluice.dev/session-cookie: "c=1"}}
  strategy: {canary: {stepWeight: 10}}
`);
    expect(errorLines({ 'r.yaml': r }).map((e) => e.replace(/ \(.*$/, ''))).toEqual([
      'r.yaml:9:21: spec.service.apex.labels["sluice.dev/rollout"]: sluice.dev/rollout is a key Sluice sets itself on the objects it generates',
      'r.yaml:10:28: spec.service.canary.annotations["x.sluice.dev/session-cookie"]: x.sluice.dev/session-cookie is a key Sluice sets itself on the objects it generates',
    ]);
  });
});

describe('gateway-api service.match and service.headers', () => {
  const gateway = (service: string, strategy = '{canary: {stepWeight: 10}}') =>
    rollout(`  provider: gateway-api
  service:
    port: 80
${service}
  strategy: ${strategy}
`);

  it('accepts the Istio shape the Gateway API can express', () => {
    const r =
      gateway(`    match: [{uri: {prefix: /api}, method: {exact: GET}, queryParams: {v: {regex: "^2"}}}]
    headers: {request: {set: {x-env: prod}}, response: {remove: [server]}}`);
    expect(errorLines({ 'r.yaml': r })).toEqual([]);
  });

  it('refuses a match condition on the header Sluice matches itself for session affinity or A/B testing', () => {
    const sticky = gateway(`    match: [{headers: {Cookie: {regex: "x"}}}]
    sessionAffinity: {cookieName: sticky}`);
    expect(errorLines({ 'r.yaml': sticky })).toEqual([
      'r.yaml:9:24: spec.service.match[0].headers.Cookie: Sluice matches header Cookie itself here (A/B testing or session affinity); a match cannot test it twice (remove the condition from service.match, or test another header)',
    ]);
    const ab = gateway(
      '    match: [{headers: {x-user: {exact: a}}}]',
      '{abTesting: {iterations: 5, match: [{headers: {X-User: {exact: beta}}}]}}',
    );
    expect(errorLines({ 'r.yaml': ab })).toEqual([
      'r.yaml:9:24: spec.service.match[0].headers.x-user: Sluice matches header x-user itself here (A/B testing or session affinity); a match cannot test it twice (remove the condition from service.match, or test another header)',
    ]);
  });

  it('accepts a rewrite the URLRewrite filter can express, and says what it cannot', () => {
    expect(errorLines({ 'r.yaml': gateway('    rewrite: {uri: /v2, authority: web.internal}') })).toEqual([]);
    const prefix = gateway(`    match: [{uri: {prefix: /api}}]
    rewrite: {uri: /v2, type: ReplacePrefixMatch}`);
    expect(errorLines({ 'r.yaml': prefix })).toEqual([]);
    const bad = gateway(
      '    rewrite: {uri: "v2 x", authority: "Web:8080", uriRegexRewrite: {match: a, rewrite: b}}',
    );
    expect(errorLines({ 'r.yaml': bad })).toEqual([
      'r.yaml:9:20: spec.service.rewrite.uri: a path starting with "/", at most 1024 characters, no spaces',
      'r.yaml:9:39: spec.service.rewrite.authority: a lowercase host name without a port or wildcard',
      "r.yaml:9:51: spec.service.rewrite.uriRegexRewrite: the Gateway API's URLRewrite filter cannot express uriRegexRewrite (with provider gateway-api a rewrite has uri, authority, type)",
    ]);
  });

  it('needs one path-prefix match per rule for a prefix rewrite, as the Gateway API does', () => {
    const two = gateway(`    match: [{uri: {prefix: /api}}, {uri: {prefix: /v1}}]
    rewrite: {uri: /v2, type: ReplacePrefixMatch}`);
    expect(errorLines({ 'r.yaml': two })).toEqual([
      'r.yaml:10:31: spec.service.rewrite.type: ReplacePrefixMatch needs each HTTPRoute rule to have exactly one path-prefix match (give service.match one entry with uri.prefix (and A/B testing one match), or use ReplaceFullPath)',
    ]);
    const exact = gateway(`    match: [{uri: {exact: /api}}]
    rewrite: {uri: /v2, type: ReplacePrefixMatch}`);
    expect(errorLines({ 'r.yaml': exact })).toHaveLength(1);
  });

  it('keeps match and headers to istio and gateway-api', () => {
    const r = rollout(`  provider: linkerd
  service: {port: 80, match: [{uri: {prefix: /}}]}
  strategy: {canary: {stepWeight: 10}}
`);
    expect(errorLines({ 'r.yaml': r })).toEqual([
      'r.yaml:7:23: spec.service.match: provider "linkerd" has no use for service.match: only istio or gateway-api carry it out (set spec.provider to istio or gateway-api, or remove service.match)',
    ]);
  });

  it("says Flagger's nginx router has no session affinity and what to use instead", () => {
    const r = rollout(`  provider: nginx
  ingressRef: {name: web}
  service: {port: 80, sessionAffinity: {cookieName: sticky}}
  strategy: {canary: {stepWeight: 10}}
`);
    const [line] = errorLines({ 'r.yaml': r });
    expect(line).toContain("Flagger's nginx router has no session affinity either");
    expect(line).toContain('nginx.ingress.kubernetes.io/affinity: cookie');
  });
});
