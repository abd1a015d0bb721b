import { describe, expect, it } from 'vitest';
import { errorLines, load, rolloutHead } from '../helpers.js';

describe('schema errors', () => {
  it('reports wrong types with the whole constraint', () => {
    const yaml = `${rolloutHead}  strategy:
    canary:
      stepWeight: ten
  analysis:
    threshold: 0
    interval: 5 minutes
`;
    expect(errorLines({ 'r.yaml': yaml })).toEqual([
      'r.yaml:12:19: spec.strategy.canary.stepWeight: must be integer ≥ 1 and ≤ 100',
      'r.yaml:14:16: spec.analysis.threshold: must be integer ≥ 1',
      'r.yaml:15:15: spec.analysis.interval: must be a duration such as "30s", "1m" or "1h30m"',
    ]);
  });

  it('reports unknown fields at their key, with a did-you-mean hint', () => {
    const yaml = `${rolloutHead}  strategy:
    blueGreen:
      iterations: 3
  analysis:
    treshold: 2
    metrics:
      - name: request-success-rate
        tresholdRange: {min: 99}
  provder: istio
  color: blue
`;
    expect(errorLines({ 'r.yaml': yaml })).toEqual([
      'r.yaml:14:5: spec.analysis.treshold: unknown field (did you mean "threshold"?)',
      'r.yaml:16:9: spec.analysis.metrics[0]: must set at least one of: thresholdRange, successCondition',
      'r.yaml:17:9: spec.analysis.metrics[0].tresholdRange: unknown field (did you mean "thresholdRange"?)',
      'r.yaml:18:3: spec.provder: unknown field (did you mean "provider"?)',
      'r.yaml:19:3: spec.color: unknown field (known fields: targetRef, service, ingressRef, provider, progressDeadline, skipAnalysis, strategy, analysis, promotion)',
    ]);
  });

  it('reports missing required fields at their parent', () => {
    const yaml = `apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  targetRef: {}
  service:
    portName: http
  strategy:
    canary: {}
  analysis:
    metrics:
      - name: latency
        thresholdRange: {}
`;
    expect(errorLines({ 'r.yaml': yaml })).toEqual([
      'r.yaml:6:3: spec.targetRef.name: missing required field',
      'r.yaml:7:3: spec.service.port: missing required field',
      'r.yaml:10:13: spec.strategy.canary: must set exactly one of: stepWeight, stepWeights, steps',
      'r.yaml:13:9: spec.analysis.metrics[0].templateRef: missing required field',
      'r.yaml:14:25: spec.analysis.metrics[0].thresholdRange: must set at least one of: min, max',
    ]);
  });

  it('reports bad enum values, exclusive choices and patterns', () => {
    const yaml = `${rolloutHead}  provider: istoi
  strategy:
    canary:
      stepWeight: 10
      steps:
        - setWeight: 10
          pause: {}
  analysis:
    webhooks:
      - name: gate
        type: confirm-promotoin
        url: ftp://x
    alerts:
      - name: a
        severity: warning
        providerRef: {name: p}
`;
    expect(errorLines({ 'r.yaml': yaml })).toEqual([
      'r.yaml:10:13: spec.provider: must be one of: kubernetes, istio, gateway-api, nginx, linkerd, smi (did you mean "istio"?)',
      'r.yaml:13:7: spec.strategy.canary: set only one of: stepWeight, stepWeights, steps (found stepWeight and steps)',
      'r.yaml:15:11: spec.strategy.canary.steps[0]: set only one of: setWeight, setCanaryScale, pause, analysis (found setWeight and pause)',
      'r.yaml:20:15: spec.analysis.webhooks[0].type: must be one of: pre-rollout, rollout, confirm-rollout, confirm-traffic-increase, confirm-promotion, post-rollout, rollback, event (did you mean "confirm-promotion"?)',
      'r.yaml:21:14: spec.analysis.webhooks[0].url: must be an http:// or https:// URL',
      'r.yaml:24:19: spec.analysis.alerts[0].severity: must be one of: info, warn, error',
    ]);
  });

  it('rejects inline secrets: secretRef has name and key only', () => {
    const yaml = `apiVersion: sluice.dev/v1alpha1
kind: AlertProvider
metadata:
  name: slack
spec:
  type: slack
  secretRef:
    name: slack
    value: xoxb-123
`;
    expect(errorLines({ 'a.yaml': yaml })).toEqual([
      'a.yaml:7:3: spec.secretRef.key: missing required field',
      'a.yaml:9:5: spec.secretRef.value: unknown field (known fields: name, key)',
    ]);
  });

  it('checks render plugins by name and query placeholders', () => {
    const app = `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: web}
spec:
  source:
    repoURL: https://git.example.com/web.git
    render: {plugin: helmm}
  destination: {namespace: web}
`;
    const mt = `apiVersion: sluice.dev/v1alpha1
kind: MetricTemplate
metadata: {name: m}
spec:
  provider: {type: prometheus}
  query: sum(up{app="{{ app }}"})
`;
    expect(errorLines({ 'app.yaml': app, 'mt.yaml': mt })).toEqual([
      'app.yaml:7:22: spec.source.render.plugin: must be one of: directory, kustomize, helm (did you mean "helm"?)',
      'mt.yaml:6:10: spec.query: may only use the placeholders {{ target }}, {{ name }}, {{ namespace }}, {{ service }}, {{ interval }} and {{ variables.NAME }}',
    ]);
  });

  it('loads a valid object with its source location and no errors', () => {
    const r = load({ 'r.yaml': `# a comment\n${rolloutHead}  strategy:\n    blueGreen: {iterations: 2}\n` });
    expect(r.errors).toEqual([]);
    expect(r.objects).toHaveLength(1);
    expect(r.objects[0]?.source).toEqual({ file: 'r.yaml', line: 2 });
    expect(r.objects[0]?.kind).toBe('Rollout');
  });
});
