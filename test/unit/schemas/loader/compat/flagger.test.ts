import { describe, expect, it } from 'vitest';
import { formatLoadError } from '../../../../../schemas/loader/index.js';
import { load } from '../../helpers.js';
import { loadCompat } from './fixtures.js';

describe('Flagger conversion', () => {
  it('converts a Canary with built-in and template metrics, webhooks and alerts into a Rollout', () => {
    const r = loadCompat('flagger-canary.yaml', 'flagger-templates.yaml');
    expect(r.errors.map(formatLoadError)).toEqual([]);
    expect(r.warnings).toEqual([]);
    const rollout = r.objects.find((o) => o.kind === 'Rollout');
    expect(rollout).toEqual({
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'podinfo', namespace: 'test' },
      spec: {
        targetRef: { name: 'podinfo' },
        service: {
          port: 9898,
          targetPort: 9898,
          gateways: ['public-gateway.istio-system.svc.cluster.local'],
          hosts: ['app.example.com'],
        },
        provider: 'istio',
        progressDeadline: '60s',
        strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
        analysis: {
          interval: '1m',
          threshold: 5,
          metrics: [
            { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' },
            { name: 'request-duration', thresholdRange: { max: 500 }, interval: '30s' },
            {
              name: 'not-found-percentage',
              templateRef: { name: 'not-found-percentage', namespace: 'istio-system' },
              thresholdRange: { max: 5 },
              interval: '1m',
            },
          ],
          webhooks: [
            {
              name: 'acceptance-test',
              type: 'pre-rollout',
              url: 'http://flagger-loadtester.test/',
              timeout: '30s',
              metadata: {
                type: 'bash',
                cmd: "curl -sd 'test' http://podinfo-canary:9898/token | grep token",
              },
            },
            {
              name: 'load-test',
              url: 'http://flagger-loadtester.test/',
              timeout: '5s',
              metadata: { cmd: 'hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/' },
            },
          ],
          alerts: [
            {
              name: 'on-call Slack',
              severity: 'error',
              providerRef: { name: 'on-call', namespace: 'flagger' },
            },
          ],
        },
      },
      source: { file: 'flagger-canary.yaml', line: 2 },
    });
    const provider = r.objects.find((o) => o.kind === 'AlertProvider');
    expect(provider?.spec).toEqual({
      type: 'slack',
      mode: 'webhook',
      channel: 'on-call-alerts',
      username: 'flagger',
      secretRef: { name: 'on-call-url', key: 'address' },
    });
    expect(r.objects.find((o) => o.kind === 'MetricTemplate')?.source).toEqual({
      file: 'flagger-templates.yaml',
      line: 1,
    });
  });

  it('maps A/B testing and blue/green analyses to their strategies', () => {
    const canary = (name: string, analysis: string) => `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: ${name}}
spec:
  provider: istio
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: app}
  service: {port: 80}
  analysis:
${analysis}`;
    const ab = canary(
      'ab',
      `    interval: 1m
    threshold: 2
    iterations: 10
    match:
      - headers:
          x-canary: {exact: insider}
      - headers:
          cookie: {regex: "^(.*?;)?(canary=always)(;.*)?$"}
`,
    );
    const bg = canary('bg', '    interval: 30s\n    threshold: 2\n    iterations: 5\n    mirror: true\n');
    const r = load({ 'ab.yaml': ab, 'bg.yaml': bg });
    expect(r.errors).toEqual([]);
    expect(r.objects.map((o) => (o.kind === 'Rollout' ? o.spec.strategy : undefined))).toEqual([
      {
        abTesting: {
          iterations: 10,
          match: [
            { headers: { 'x-canary': { exact: 'insider' } } },
            { headers: { cookie: { regex: '^(.*?;)?(canary=always)(;.*)?$' } } },
          ],
        },
      },
      { blueGreen: { iterations: 5, mirror: true } },
    ]);
  });

  it('reports what it cannot convert at the Canary field, never dropping it silently', () => {
    const yaml = `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: app}
spec:
  provider: appmesh
  targetRef: {apiVersion: apps/v1, kind: DaemonSet, name: app}
  autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: app}
  service:
    port: 80
    delegation: true
  analysis:
    interval: 1m
    threshold: 0
    stepWeight: 10
    stepWeightPromotion: 20
    metrics:
      - name: legacy
        query: sum(up)
`;
    const r = load({ 'c.yaml': yaml });
    expect(r.errors.map(formatLoadError)).toEqual([
      'c.yaml:5:13: spec.provider: Flagger provider "appmesh" has no Sluice traffic plugin (Sluice has no App Mesh provider: move the service to istio or linkerd and write spec.provider)',
      'c.yaml:6:42: spec.targetRef.kind: Sluice rolls out Deployments only, not DaemonSet',
      'c.yaml:10:5: spec.service.delegation: not converted: Flagger Canary field with no Sluice equivalent (remove it, or write the Sluice object by hand)',
      'c.yaml:13:16: spec.analysis.threshold: must be integer ≥ 1',
      'c.yaml:15:5: spec.analysis.stepWeightPromotion: not converted: Flagger Canary field with no Sluice equivalent (remove it, or write the Sluice object by hand)',
      'c.yaml:17:9: spec.analysis.metrics[0].templateRef: missing required field',
      'c.yaml:18:16: spec.analysis.metrics[0].query: inline queries are deprecated in Flagger and not converted (move the query into a MetricTemplate and use templateRef)',
    ]);
    // Sluice copies the HorizontalPodAutoscaler on its own: nothing to warn about.
    expect(r.warnings.map(formatLoadError)).toEqual([]);
    expect(r.objects).toEqual([]);
  });
});

describe('Flagger conversion of nginx canaries', () => {
  const canary = (ingressRef: string) => `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web}
spec:
  provider: nginx
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
${ingressRef}  service: {port: 80}
  analysis: {interval: 1m, threshold: 5, stepWeight: 10, maxWeight: 50}
`;

  it('keeps ingressRef, which the nginx provider routes through', () => {
    const r = load({
      'c.yaml': canary('  ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: web}\n'),
    });
    expect(r.errors.map(formatLoadError)).toEqual([]);
    expect(r.objects[0]?.spec).toMatchObject({ provider: 'nginx', ingressRef: { name: 'web' } });
  });

  it('reports a missing ingressRef at the provider', () => {
    expect(load({ 'c.yaml': canary('') }).errors.map(formatLoadError)).toEqual([
      'c.yaml:5:13: spec.ingressRef: provider "nginx" needs spec.ingressRef: the Ingress that routes to the Service (set spec.ingressRef.name; Sluice adds a <name>-canary Ingress beside it)',
    ]);
  });
});
