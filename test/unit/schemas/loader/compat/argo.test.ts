import { describe, expect, it } from 'vitest';
import { validateSuccessCondition } from '../../../../../core/analysis/condition.js';
import { exprToCel } from '../../../../../schemas/loader/compat/argo-analysis.js';
import { formatLoadError } from '../../../../../schemas/loader/index.js';
import { load } from '../../helpers.js';
import { loadCompat } from './fixtures.js';

const serviceName = 'guestbook-svc.web.svc.cluster.local';

describe('Argo Rollouts conversion', () => {
  const r = loadCompat('argo-rollout.yaml', 'argo-analysis-templates.yaml');

  it('converts canary steps and analysis templates into a Rollout and MetricTemplates', () => {
    expect(r.errors.map(formatLoadError)).toEqual([]);
    expect(r.warnings.map(formatLoadError)).toEqual([
      'argo-rollout.yaml:23:11: spec.strategy.canary.trafficRouting.istio.virtualService: Sluice generates its own VirtualService for the Service (with the hosts and gateways of "guestbook-vsvc" when that is among the files converted); remove VirtualService "guestbook-vsvc" from your manifests once the converted Rollout serves',
    ]);
    const rollout = r.objects.find((o) => o.kind === 'Rollout');
    expect(rollout?.spec).toEqual({
      targetRef: { name: 'guestbook' },
      service: { port: 8080 },
      provider: 'istio',
      progressDeadline: '600s',
      strategy: {
        canary: {
          steps: [
            { setWeight: 20 },
            { pause: { duration: '10m' } },
            { setWeight: 40 },
            {
              analysis: {
                iterations: 3,
                metrics: [
                  {
                    name: 'p95',
                    templateRef: { name: 'latency' },
                    variables: { 'service-name': serviceName, quantile: '0.95' },
                    successCondition: '!(result > 0.5)',
                  },
                ],
              },
            },
            { setWeight: 80 },
            { pause: { duration: '60s' } },
            { pause: {} },
          ],
        },
      },
      analysis: {
        interval: '5m',
        threshold: 4,
        metrics: [
          {
            name: 'success-rate',
            templateRef: { name: 'success-rate' },
            variables: { 'service-name': serviceName },
            successCondition: 'result >= 0.95',
          },
        ],
      },
    });
    const latency = r.objects.find((o) => o.kind === 'MetricTemplate' && o.metadata.name === 'latency');
    expect(latency?.spec).toEqual({
      provider: { type: 'prometheus', address: 'http://prometheus.monitoring:9090' },
      query:
        'histogram_quantile({{ variables.quantile }}, sum(rate(istio_request_duration_milliseconds_bucket{destination_service=~"{{ variables.service-name }}"}[5m])) by (le)) / 1000\n',
    });
    expect(latency?.source).toEqual({ file: 'argo-analysis-templates.yaml', line: 22 });
  });

  it('reports what it cannot convert at the original field', () => {
    const yaml = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: demo
spec:
  replicas: 5
  template:
    spec:
      containers: [{name: demo, image: demo:1}]
  strategy:
    canary:
      steps:
        - setWeight: 20
        - experiment: {duration: 1h}
        - analysis:
            templates: [{templateName: missing}]
`;
    const out = load({ 'demo.yaml': yaml });
    expect(out.errors.map(formatLoadError)).toEqual([
      'demo.yaml:4:3: metadata: Sluice needs the Service port: no canaryService/stableService (or activeService) Service with a port is in the files converted, and no container port is named (convert the Rollout together with its Services, name the container port, or add the annotation sluice.dev/service-port: "8080")',
      'demo.yaml:14:23: spec.strategy.canary.steps[1].experiment: experiment steps are not converted: Sluice runs no side-by-side baseline and canary ReplicaSets (replace the step with an analysis step over the canary (its analyses become metrics) or remove it)',
      'demo.yaml:16:40: spec.strategy.canary.steps[2].analysis.templates[0].templateName: AnalysisTemplate "missing" not found in namespace "default"',
    ]);
    expect(out.warnings.map(formatLoadError)).toEqual([]);
  });

  it('turns comparisons of result into CEL and refuses anything else', () => {
    expect(exprToCel('result[0] >= 0.95 and result[0] < 2')).toBe('result >= 0.95 && result < 2');
    expect(exprToCel('len(result) == 0 || result[0] > 1')).toBeUndefined();
  });

  it('reads web metric conditions over booleans and numeric strings as comparisons of a number', () => {
    expect(exprToCel('result == true')).toBe('result == 1.0');
    expect(exprToCel('result != false')).toBe('result != 0.0');
    expect(exprToCel('result')).toBe('result == 1.0');
    expect(exprToCel('asFloat(result) >= 0.9 and asInt(result) != 2')).toBe('result >= 0.9 && result != 2.0');
    expect(exprToCel('result[0] == 0')).toBe('result == 0.0');
    expect(exprToCel('result == 1.5')).toBe('result == 1.5');
    expect(exprToCel('result.ok && result.successPercent >= 0.90')).toBeUndefined();
    for (const e of ['result == 1.0', 'result != 0.0', 'result >= 0.9 && result != 2.0'])
      expect(validateSuccessCondition(e), e).toBeUndefined();
  });
});

describe('Argo CD conversion', () => {
  const r = loadCompat('argocd-application.yaml');

  it('converts an Application and its AppProject', () => {
    expect(r.errors.map(formatLoadError)).toEqual([]);
    const app = r.objects.find((o) => o.kind === 'Application');
    expect(app?.spec).toEqual({
      source: {
        repoURL: 'https://github.com/argoproj/argocd-example-apps.git',
        targetRevision: 'HEAD',
        path: 'helm-guestbook',
        render: {
          plugin: 'helm',
          releaseName: 'guestbook',
          valueFiles: ['values-production.yaml'],
          values: { replicaCount: 3, service: { type: 'ClusterIP' } },
          parameters: [{ name: 'image.tag', value: '0.2' }],
        },
      },
      destination: { cluster: 'in-cluster', namespace: 'guestbook' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
        syncOptions: ['CreateNamespace=true'],
      },
      project: 'web',
    });
    const project = r.objects.find((o) => o.kind === 'Project');
    expect(project?.metadata).toEqual({ name: 'web' });
    expect(project?.spec.destinations).toEqual([{ cluster: 'in-cluster', namespace: 'guestbook' }]);
  });

  it('reports unsupported sources, servers and sync options where they are written', () => {
    const yaml = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: x, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://git.example.com/web.git
    path: web
    plugin: {name: cdk8s}
  destination:
    server: https://10.0.0.1:6443
    namespace: web
  syncPolicy:
    syncOptions: [ServerSideApply=true, Replace=true]
  ignoreDifferences:
    - kind: Deployment
`;
    expect(load({ 'x.yaml': yaml }).errors.map(formatLoadError)).toEqual([
      'x.yaml:9:5: spec.source.plugin: not converted: Argo CD Application field with no Sluice equivalent (remove it, or write the Sluice object by hand)',
      'x.yaml:11:13: spec.destination.server: Sluice names clusters instead of addressing them by API server URL (use destination.name with the cluster name registered with Sluice)',
      'x.yaml:14:41: spec.syncPolicy.syncOptions[1]: must be one of: CreateNamespace=true, PruneLast=true, ApplyOutOfSyncOnly=true, FailOnSharedResource=true, AdoptExisting=true, PrunePropagationPolicy=foreground, PrunePropagationPolicy=background, PrunePropagationPolicy=orphan',
      'x.yaml:15:3: spec.ignoreDifferences: not converted: Argo CD Application field with no Sluice equivalent (remove it, or write the Sluice object by hand)',
    ]);
  });
});

describe('Argo Rollouts conversion of traffic routing', () => {
  const rollout = (routing: string) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: demo
  annotations: {sluice.dev/service-port: "80"}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: demo}
  strategy:
    canary:
${routing}      steps:
        - setWeight: 20
`;

  it("turns nginx's stableIngress into ingressRef", () => {
    const out = load({
      'demo.yaml': rollout('      trafficRouting:\n        nginx: {stableIngress: demo}\n'),
    });
    expect(out.errors.map(formatLoadError)).toEqual([]);
    expect(out.objects[0]?.spec).toMatchObject({ provider: 'nginx', ingressRef: { name: 'demo' } });
  });

  it('reports a canary without traffic routing, which Sluice cannot weight', () => {
    expect(load({ 'demo.yaml': rollout('') }).errors.map(formatLoadError)).toEqual([
      expect.stringMatching(
        /^demo\.yaml:\d+:\d+: spec\.provider: provider "kubernetes" \(the default\) only switches all traffic at once/,
      ),
    ]);
  });
});
