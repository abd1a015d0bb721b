import { describe, expect, it } from 'vitest';
import { formatLoadError } from '../../../../../schemas/loader/index.js';
import { load } from '../../helpers.js';
import { loadCompat } from './fixtures.js';

const app = (spec: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: x, namespace: argocd}
spec:
  destination: {name: in-cluster, namespace: web}
${spec}`;

describe('Argo CD chart and multi-source conversion', () => {
  const r = loadCompat('argocd-charts.yaml');
  const spec = (name: string) =>
    r.objects.find((o) => o.metadata.name === name)?.spec as Record<string, unknown> | undefined;

  it('converts every Application of the fixture, noting what it changed or dropped', () => {
    expect(r.errors.map(formatLoadError)).toEqual([]);
    expect(r.warnings.map(formatLoadError)).toEqual([
      'argocd-charts.yaml:24:11: spec.source.helm.parameters[0].forceString: not converted: Sluice always passes parameters as strings',
      'argocd-charts.yaml:41:14: spec.source.repoURL: converted to oci://registry-1.docker.io/bitnamicharts: Argo CD reads a chart repository URL without a scheme as an OCI registry',
    ]);
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['redis', 'nginx', 'podinfo', 'prometheus']);
  });

  it('turns a chart from an https repository and its helm block into a chart source rendered by helm', () => {
    expect(spec('redis')).toEqual({
      source: {
        repoURL: 'https://charts.bitnami.com/bitnami',
        chart: 'redis',
        targetRevision: '18.19.x',
        render: {
          plugin: 'helm',
          releaseName: 'cache',
          values: { architecture: 'standalone', auth: { enabled: false } },
          parameters: [{ name: 'master.persistence.enabled', value: 'false' }],
          skipCrds: true,
        },
      },
      destination: { cluster: 'in-cluster', namespace: 'cache' },
      syncPolicy: { automated: { prune: true } },
    });
  });

  it('writes an OCI chart as oci://, with helm.values (a YAML string) as values', () => {
    expect(spec('nginx')?.source).toEqual({
      repoURL: 'oci://registry-1.docker.io/bitnamicharts',
      chart: 'nginx',
      targetRevision: '15.14.0',
      render: { plugin: 'helm', values: { replicaCount: 2, service: { type: 'ClusterIP' } } },
    });
    // A chart without a helm block is still rendered by helm; a version constraint passes through.
    expect(spec('podinfo')?.source).toEqual({
      repoURL: 'oci://ghcr.io/stefanprodan/charts',
      chart: 'podinfo',
      targetRevision: '>=6.5.0 <7.0.0',
      render: { plugin: 'helm' },
    });
  });

  it('turns sources into sources, keeping ref and the $values/ value files that use it', () => {
    expect(spec('prometheus')).toEqual({
      sources: [
        {
          repoURL: 'https://prometheus-community.github.io/helm-charts',
          chart: 'prometheus',
          targetRevision: '25.8.0',
          render: {
            plugin: 'helm',
            valueFiles: [
              '$values/charts/prometheus/values.yaml',
              '$values/charts/prometheus/values-prod.yaml',
            ],
          },
        },
        { repoURL: 'https://git.example.com/platform/values.git', targetRevision: 'main', ref: 'values' },
      ],
      destination: { cluster: 'in-cluster', namespace: 'monitoring' },
      syncPolicy: {},
    });
  });

  it('takes valuesObject over values, as Argo CD does, and says values was dropped', () => {
    const out = load({
      'x.yaml': app(`  source:
    repoURL: https://charts.example.com
    chart: web
    targetRevision: 1.0.0
    helm:
      values: "replicaCount: 1"
      valuesObject: {replicaCount: 3}
`),
    });
    expect(out.errors.map(formatLoadError)).toEqual([]);
    expect((out.objects[0]?.spec as { source?: { render?: unknown } } | undefined)?.source?.render).toEqual({
      plugin: 'helm',
      values: { replicaCount: 3 },
    });
    expect(out.warnings.map(formatLoadError)).toEqual([
      'x.yaml:11:7: spec.source.helm.values: not converted: Argo CD ignores values when valuesObject is set',
    ]);
  });

  it('reports the helm fields Sluice lacks, each where it is written', () => {
    const out = load({
      'x.yaml': app(`  source:
    repoURL: https://charts.example.com
    chart: web
    targetRevision: 1.0.0
    helm:
      version: v2
      passCredentials: true
      ignoreMissingValueFiles: true
      fileParameters:
        - {name: config, path: files/config.json}
`),
    });
    expect(out.errors.map(formatLoadError)).toEqual([
      'x.yaml:11:7: spec.source.helm.version: not converted: Argo CD Application field with no Sluice equivalent (remove it, or write the Sluice object by hand)',
      'x.yaml:12:7: spec.source.helm.passCredentials: not converted: Argo CD Application field with no Sluice equivalent (remove it, or write the Sluice object by hand)',
      'x.yaml:13:7: spec.source.helm.ignoreMissingValueFiles: not converted: Argo CD Application field with no Sluice equivalent (remove it, or write the Sluice object by hand)',
      'x.yaml:14:7: spec.source.helm.fileParameters: not converted: Argo CD Application field with no Sluice equivalent (remove it, or write the Sluice object by hand)',
    ]);
  });

  it('reports a $ref/ value file no source provides, and both source and sources', () => {
    const out = load({
      'x.yaml': app(`  source: {repoURL: https://git.example.com/a.git, path: app}
  sources:
    - repoURL: https://charts.example.com
      chart: web
      targetRevision: 1.0.0
      helm:
        valueFiles: [$vals/web.yaml]
    - {repoURL: https://git.example.com/values.git, ref: values}
`),
    });
    expect(out.errors.map(formatLoadError)).toEqual([
      'x.yaml:6:11: spec.source: both source and sources are set; Argo CD ignores source (remove spec.source)',
      'x.yaml:12:22: spec.sources[0].helm.valueFiles[0]: no source has ref "vals" (refs declared: values)',
    ]);
    const single = load({
      'x.yaml': app(`  source:
    repoURL: https://git.example.com/a.git
    path: chart
    helm: {valueFiles: [$values/prod.yaml]}
`),
    });
    expect(single.errors.map(formatLoadError)).toEqual([
      'x.yaml:9:25: spec.source.helm.valueFiles[0]: $values/prod.yaml names a source by ref, but only spec.sources has refs (use spec.sources)',
    ]);
  });

  it('refuses an Argo CD OCI source that is not a chart, which Sluice cannot fetch', () => {
    const out = load({
      'x.yaml': app(`  source:
    repoURL: oci://registry.example.com/manifests/web
    targetRevision: 1.0.0
    path: .
`),
    });
    expect(out.errors.map(formatLoadError)).toEqual([
      expect.stringMatching(/^x\.yaml:7:14: spec\.source\.repoURL: /),
    ]);
  });
});
