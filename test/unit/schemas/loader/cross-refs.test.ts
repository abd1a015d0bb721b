import { describe, expect, it } from 'vitest';
import { errorLines, load } from '../helpers.js';

const app = (extra: string) => `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: web
  namespace: shop
spec:
  source: {repoURL: https://git.example.com/web.git}
  destination: {namespace: shop}
${extra}`;

const rollout = `apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  targetRef: {name: web}
  service: {port: 80}
  provider: istio
  strategy: {canary: {stepWeight: 10}}
  analysis:
    metrics:
      - name: latency
        templateRef: {name: latencyy}
        thresholdRange: {max: 1}
      - name: errors
        templateRef: {name: errors, namespace: monitoring}
        thresholdRange: {max: 1}
    alerts:
      - name: slack
        providerRef: {name: slack}
`;

const latency = `apiVersion: sluice.dev/v1alpha1
kind: MetricTemplate
metadata: {name: latency, namespace: shop}
spec: {provider: {type: prometheus}, query: up}
`;

describe('cross-references', () => {
  it('reports each missing reference at the referencing field', () => {
    const files = {
      'app.yaml': app('  rollout: webb\n  project: team\n'),
      'rollout.yaml': rollout,
      'mt.yaml': latency,
    };
    expect(errorLines(files)).toEqual([
      'app.yaml:9:12: spec.rollout: Rollout "webb" not found in namespace "shop" (did you mean "web"?)',
      'rollout.yaml:12:29: spec.analysis.metrics[0].templateRef.name: MetricTemplate "latencyy" not found in namespace "shop" (did you mean "latency"?)',
      'rollout.yaml:15:29: spec.analysis.metrics[1].templateRef.name: MetricTemplate "errors" not found in namespace "monitoring"',
      'rollout.yaml:19:29: spec.analysis.alerts[0].providerRef.name: AlertProvider "slack" not found in namespace "shop"',
    ]);
  });

  it("resolves a blue/green Rollout's post-switch metrics like its analysis metrics", () => {
    const blueGreen = `apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  targetRef: {name: web}
  service: {port: 80}
  strategy:
    blueGreen:
      iterations: 1
      postSwitchAnalysis:
        metrics:
          - {name: latency, templateRef: {name: latency}, thresholdRange: {max: 1}}
          - {name: errors, templateRef: {name: errorz}, thresholdRange: {max: 1}}
`;
    expect(errorLines({ 'rollout.yaml': blueGreen, 'mt.yaml': latency })).toEqual([
      'rollout.yaml:13:48: spec.strategy.blueGreen.postSwitchAnalysis.metrics[1].templateRef.name: MetricTemplate "errorz" not found in namespace "shop"',
    ]);
  });

  it("checks an Application's alerts' providerRefs like a Rollout's", () => {
    const provider = `apiVersion: sluice.dev/v1alpha1
kind: AlertProvider
metadata: {name: team-slack, namespace: shop}
spec: {type: slack, channel: "#shop", secretRef: {name: slack, key: token}}
`;
    const alerts = `  alerts:
    - name: team
      severity: warn
      providerRef: {name: team-slack}
    - name: ops
      providerRef: {name: team-slak, namespace: ops}
    - name: typo
      providerRef: {name: team-slak}
`;
    expect(errorLines({ 'app.yaml': app(alerts), 'ap.yaml': provider })).toEqual([
      'app.yaml:14:27: spec.alerts[1].providerRef.name: AlertProvider "team-slak" not found in namespace "ops"',
      'app.yaml:16:27: spec.alerts[2].providerRef.name: AlertProvider "team-slak" not found in namespace "shop" (did you mean "team-slack"?)',
    ]);
    const ok = load({ 'app.yaml': app(alerts.split('    - name: ops')[0] ?? ''), 'ap.yaml': provider });
    expect(ok.errors).toEqual([]);
    expect(ok.objects.map((o) => o.kind).sort()).toEqual(['AlertProvider', 'Application']);
  });

  it('keeps objects with broken references out of the result', () => {
    const r = load({ 'app.yaml': app('  rollout: nope\n'), 'mt.yaml': latency });
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['latency']);
  });

  it('rejects duplicate names per kind and namespace, pointing at the first', () => {
    const other = latency.replace('namespace: shop', 'namespace: other');
    expect(errorLines({ 'a.yaml': latency, 'b.yaml': `# again\n${latency}`, 'c.yaml': other })).toEqual([
      'b.yaml:4:18: metadata.name: MetricTemplate "latency" is already defined in namespace "shop" (first defined at a.yaml:3:18)',
    ]);
  });

  it('names Applications once per repository, whatever their namespace (their workflow is <repo>/<name>)', () => {
    const twin = app('').replace('namespace: shop\nspec', 'namespace: other\nspec');
    expect(errorLines({ 'a.yaml': app(''), 'b.yaml': twin })).toEqual([
      'b.yaml:4:9: metadata.name: Application "web" is already defined (first defined at a.yaml:4:9)',
    ]);
  });

  it('with the Projects bound to the repository: checks spec.project and refuses Project documents', () => {
    const project = `apiVersion: sluice.dev/v1alpha1
kind: Project
metadata: {name: mine}
spec: {sourceRepos: ['*'], destinations: [{namespace: '*'}]}
`;
    const files = { 'app.yaml': app('  project: team\n'), 'project.yaml': project };
    expect(errorLines(files, { projects: { bound: ['shop', 'tea'] } })).toEqual([
      'app.yaml:9:12: spec.project: Project "team" is not bound to this repository (bound: shop, tea) (did you mean "tea"?; the administrator binds Projects to repositories in the worker config (repositories[].projects))',
      'project.yaml:2:7: kind: Projects are defined by the administrator (worker config `projects` or the admin repository), not in the repositories they restrict (move this Project to the worker config; Applications here name it in spec.project)',
    ]);
    // Without a project, the only bound one is used; with several bound, it must be named.
    expect(errorLines({ 'app.yaml': app('') }, { projects: { bound: ['shop'] } })).toEqual([]);
    expect(errorLines({ 'app.yaml': app('') }, { projects: { bound: ['shop', 'tea'] } })).toEqual([
      'app.yaml:6:1: spec: this repository is bound to the Projects shop, tea: name one in spec.project (the administrator binds Projects to repositories in the worker config (repositories[].projects))',
    ]);
    // sluice validate (no worker config) checks neither.
    expect(errorLines(files)).toEqual([]);
  });

  it('rejects repeated step names in a Pipeline', () => {
    const pipeline = `apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata: {name: p}
spec:
  trigger: {manual: {}}
  steps:
    - {name: go, uses: wait, with: {duration: 1m}}
    - {name: go, uses: sync, with: {application: web}}
`;
    expect(errorLines({ 'p.yaml': pipeline })).toEqual([
      'p.yaml:8:14: spec.steps[1].name: step name "go" is already used by spec.steps[0]',
    ]);
  });
});
