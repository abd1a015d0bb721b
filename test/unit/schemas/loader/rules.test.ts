import { describe, expect, it } from 'vitest';
import { trafficCapabilities } from '../../../../core/traffic/providers.js';
import { createTrafficProvider } from '../../../../plugins/traffic/factory.js';
import type { TrafficProviderDeps } from '../../../../plugins/traffic/types.js';
import { errorLines, load, rolloutHead } from '../helpers.js';

/** A Rollout with `lines` appended under spec (each indented by two spaces already). */
const rollout = (lines: string) => `${rolloutHead}${lines}`;

const canary = '  strategy:\n    canary: {stepWeight: 10}\n';
const blueGreen = (extra = '') => `  strategy:\n    blueGreen: {iterations: 2${extra}}\n`;
const abTesting = `  strategy:
    abTesting:
      iterations: 2
      match: [{headers: {x-canary: {exact: "yes"}}}]
`;

describe('rollout rules: what the traffic provider can do', () => {
  it('rejects a weighted canary on the default provider, at the strategy', () => {
    expect(errorLines({ 'r.yaml': rollout(canary) })).toEqual([
      'r.yaml:11:5: spec.provider: provider "kubernetes" (the default) only switches all traffic at once: it supports strategy.blueGreen only, not strategy.canary (weighted traffic needs spec.provider istio, gateway-api, nginx, linkerd or smi)',
    ]);
  });

  it('rejects a canary on provider kubernetes, at the provider', () => {
    expect(errorLines({ 'r.yaml': rollout(`  provider: kubernetes\n${canary}`) })).toEqual([
      'r.yaml:10:13: spec.provider: provider "kubernetes" only switches all traffic at once: it supports strategy.blueGreen only, not strategy.canary (weighted traffic needs spec.provider istio, gateway-api, nginx, linkerd or smi)',
    ]);
  });

  it('accepts blue/green on kubernetes and a canary on every weighted provider', () => {
    expect(errorLines({ 'r.yaml': rollout(blueGreen()) })).toEqual([]);
    for (const p of ['istio', 'gateway-api', 'linkerd', 'smi'])
      expect(errorLines({ 'r.yaml': rollout(`  provider: ${p}\n${canary}`) }), p).toEqual([]);
  });

  it('allows abTesting only where requests can be matched', () => {
    expect(errorLines({ 'r.yaml': rollout(`  provider: linkerd\n${abTesting}`) })).toEqual([
      'r.yaml:10:13: spec.provider: provider "linkerd" cannot route by header or cookie: strategy.abTesting needs istio, gateway-api or nginx (set spec.provider to istio, gateway-api or nginx)',
    ]);
    // One message for kubernetes, which can do neither weights nor matches.
    expect(errorLines({ 'r.yaml': rollout(abTesting) })).toHaveLength(1);
    for (const p of ['istio', 'gateway-api'])
      expect(errorLines({ 'r.yaml': rollout(`  provider: ${p}\n${abTesting}`) }), p).toEqual([]);
  });

  it('allows blueGreen.mirror only on a provider that mirrors', () => {
    expect(errorLines({ 'r.yaml': rollout(`  provider: linkerd\n${blueGreen(', mirror: true')}`) })).toEqual([
      'r.yaml:12:40: spec.strategy.blueGreen.mirror: provider "linkerd" cannot mirror traffic (mirroring needs spec.provider istio or gateway-api; or remove mirror)',
    ]);
    expect(errorLines({ 'r.yaml': rollout(blueGreen(', mirror: true')) })).toHaveLength(1);
    expect(errorLines({ 'r.yaml': rollout(`  provider: istio\n${blueGreen(', mirror: true')}`) })).toEqual(
      [],
    );
  });

  it('requires spec.ingressRef with provider nginx', () => {
    expect(errorLines({ 'r.yaml': rollout(`  provider: nginx\n${canary}`) })).toEqual([
      'r.yaml:10:13: spec.ingressRef: provider "nginx" needs spec.ingressRef: the Ingress that routes to the Service (set spec.ingressRef.name; Sluice adds a <name>-canary Ingress beside it)',
    ]);
    expect(
      errorLines({ 'r.yaml': rollout(`  provider: nginx\n  ingressRef: {name: web}\n${abTesting}`) }),
    ).toEqual([]);
  });

  it('keeps a Rollout that breaks a rule out of the objects', () => {
    const r = load({ 'r.yaml': rollout(canary) });
    expect(r.objects).toEqual([]);
  });

  it('knows what each traffic plugin can do', () => {
    const deps = {} as TrafficProviderDeps;
    for (const [name, caps] of Object.entries(trafficCapabilities))
      expect(caps, name).toEqual(createTrafficProvider(name, deps).capabilities);
  });
});

describe('rollout rules: metric checks', () => {
  const analysis = (metrics: string) => `  analysis:\n    metrics:\n${metrics}`;

  it('rejects a successCondition that is not valid CEL, in analysis steps too', () => {
    const yaml = rollout(`  provider: istio
  strategy:
    canary:
      steps:
        - setWeight: 10
        - analysis:
            metrics:
              - {name: errors, templateRef: {name: e}, successCondition: "result < 'x'"}
${analysis('      - {name: latency, templateRef: {name: l}, successCondition: "result >="}\n')}`);
    const mt = (name: string) =>
      `---\napiVersion: sluice.dev/v1alpha1\nkind: MetricTemplate\nmetadata: {name: ${name}}\nspec: {provider: {type: prometheus}, query: up}\n`;
    const errors = errorLines({ 'r.yaml': yaml, 'mt.yaml': mt('e') + mt('l') });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      /^r\.yaml:17:74: spec\.strategy\.canary\.steps\[1\]\.analysis\.metrics\[0\]\.successCondition: invalid CEL: .+ \(the condition sees the query result as `result`, e\.g\. "result >= 99"\)$/,
    );
    expect(errors[1]).toMatch(
      /^r\.yaml:20:67: spec\.analysis\.metrics\[0\]\.successCondition: invalid CEL: /,
    );
  });

  it('accepts a valid successCondition', () => {
    const yaml = rollout(
      `  provider: istio\n${canary}${analysis('      - {name: request-success-rate, successCondition: "result >= 99.0"}\n')}`,
    );
    expect(errorLines({ 'r.yaml': yaml })).toEqual([]);
  });

  it('rejects a built-in check on a provider without built-in queries', () => {
    const builtin = analysis('      - {name: request-duration, thresholdRange: {max: 500}}\n');
    expect(errorLines({ 'r.yaml': rollout(`  provider: gateway-api\n${canary}${builtin}`) })).toEqual([
      'r.yaml:15:16: spec.analysis.metrics[0].name: no built-in request-duration query for provider "gateway-api": use a MetricTemplate (give the check a templateRef to a MetricTemplate with your own query)',
    ]);
    expect(errorLines({ 'r.yaml': rollout(`${blueGreen()}${builtin}`) })).toEqual([
      'r.yaml:14:16: spec.analysis.metrics[0].name: no built-in request-duration query for provider "kubernetes": use a MetricTemplate (give the check a templateRef to a MetricTemplate with your own query)',
    ]);
    for (const p of ['istio', 'linkerd', 'smi'])
      expect(errorLines({ 'r.yaml': rollout(`  provider: ${p}\n${canary}${builtin}`) }), p).toEqual([]);
  });

  it('accepts a built-in name that has its own MetricTemplate', () => {
    const yaml = rollout(
      `${blueGreen()}${analysis('      - {name: request-duration, templateRef: {name: d}, thresholdRange: {max: 500}}\n')}`,
    );
    const mt = `apiVersion: sluice.dev/v1alpha1\nkind: MetricTemplate\nmetadata: {name: d}\nspec: {provider: {type: prometheus}, query: up}\n`;
    expect(errorLines({ 'r.yaml': yaml, 'mt.yaml': mt })).toEqual([]);
  });
});

describe('application rules: health checks', () => {
  const app = (checks: string) => `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: web}
spec:
  source: {repoURL: https://git.example.com/web.git}
  destination: {namespace: web}
  healthChecks:
${checks}`;

  it('rejects a CEL expression that does not compile, naming the field', () => {
    const yaml = app(`    - apiVersion: cert-manager.io/v1
      kind: Certificate
      current: "self.status.conditions.exists(c, c.type == 'Ready')"
      failed: "self.status.conditions.exists(c, c.type == "
`);
    const errors = errorLines({ 'a.yaml': yaml });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^a\.yaml:11:15: spec\.healthChecks\[0\]\.failed: invalid CEL: .+ \(the expression sees the live object as `self`/,
    );
    expect(load({ 'a.yaml': yaml }).objects).toEqual([]);
  });

  it('accepts valid expressions', () => {
    const yaml = app(`    - apiVersion: cert-manager.io/v1
      kind: Certificate
      current: "self.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')"
      inProgress: "status.?conditions.orValue([]).size() == 0"
`);
    expect(errorLines({ 'a.yaml': yaml })).toEqual([]);
  });
});
