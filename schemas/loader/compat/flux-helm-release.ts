// Flux HelmRelease (helm.toolkit.fluxcd.io) + its HelmRepository or OCIRepository → Sluice Application
// with a chart source (docs/charts.md). Semantics follow Flux's "HelmRelease" API docs: the release is
// installed into targetNamespace (default: the HelmRelease's namespace) under Flux's release name.
import { OriginMap } from '../origin.js';
import { valueAt } from '../path.js';
import { type CompatContext, str } from './context.js';
import { type Conversion, p } from './conversion.js';
import { alertsFor, dependsOn, refuseOtherIdentity, suspended } from './flux-common.js';
import { namespaceOf, resolveSource } from './flux-source.js';

/** repoURL, chart and targetRevision of the chart the HelmRelease installs. */
function chartSource(
  c: Conversion,
  ctx: CompatContext,
  origin: OriginMap,
  ns: string,
): Record<string, unknown> {
  if (c.peek('spec.chartRef') !== undefined) {
    const src = resolveSource(c, ctx, origin, 'spec.chartRef', ns, ['OCIRepository']);
    const url = str(valueAt(src?.value, ['spec', 'url']));
    if (!url) return {};
    const cut = url.lastIndexOf('/');
    const ref = (valueAt(src?.value, ['spec', 'ref']) ?? {}) as Record<string, unknown>;
    return {
      repoURL: url.slice(0, cut),
      chart: url.slice(cut + 1),
      targetRevision: str(ref.tag) ?? str(ref.semver),
    };
  }
  const at = 'spec.chart.spec';
  const src = resolveSource(c, ctx, origin, `${at}.sourceRef`, ns, ['HelmRepository']);
  c.drop(`${at}.interval`, "the worker's chart repository poll decides this");
  c.drop(`${at}.reconcileStrategy`, 'Sluice renders the chart version the constraint resolves to');
  c.drop(`${at}.verify`, 'chart signature verification is not converted');
  for (const f of ['valuesFiles', 'valuesFile'])
    if (c.peek(`${at}.${f}`) !== undefined)
      c.error(
        `${at}.${f}`,
        'values files inside a packaged chart are not converted',
        'copy them into spec.values',
      );
  c.take(`${at}.ignoreMissingValuesFiles`);
  return {
    repoURL: str(valueAt(src?.value, ['spec', 'url'])),
    chart: c.take(`${at}.chart`),
    targetRevision: c.take(`${at}.version`),
  };
}

/** Reports the HelmRelease fields Sluice refuses or does without. */
function unsupported(c: Conversion): void {
  for (const f of ['postRenderers', 'commonMetadata'])
    if (c.peek(`spec.${f}`) !== undefined)
      c.error(
        `spec.${f}`,
        `${f} is not converted`,
        'render the chart from a Git path with a kustomization.yaml',
      );
  refuseOtherIdentity(c);
  const noRelease = 'Sluice renders the chart with helm template and applies it; no Helm release is stored';
  for (const f of ['storageNamespace', 'maxHistory', 'persistentClient', 'test', 'rollback', 'uninstall'])
    c.drop(`spec.${f}`, noRelease);
  for (const f of [
    'remediation',
    'disableWait',
    'disableHooks',
    'timeout',
    'replace',
    'disableOpenAPIValidation',
  ])
    c.drop(`spec.install.${f}`, noRelease);
  for (const f of [
    'remediation',
    'disableWait',
    'disableHooks',
    'timeout',
    'force',
    'cleanupOnFail',
    'preserveValues',
    'crds',
  ])
    c.drop(`spec.upgrade.${f}`, noRelease);
}

/** Converts a Flux HelmRelease into a Sluice Application with a chart source. */
export function convertFluxHelmRelease(c: Conversion, ctx: CompatContext): void {
  const origin = new OriginMap();
  const ns = namespaceOf(c);
  const name = String(c.peek('metadata.name'));
  const metadata = c.metadata(origin);
  origin.set(p('spec.source'), p(c.peek('spec.chartRef') !== undefined ? 'spec.chartRef' : 'spec.chart'));
  const source = chartSource(c, ctx, origin, ns);
  unsupported(c);
  const off = suspended(c);
  const target = str(c.move(origin, 'spec.destination.namespace', 'spec.targetNamespace'));
  // Flux names the release <targetNamespace>-<name> when only targetNamespace is set.
  const releaseName =
    str(c.move(origin, 'spec.source.render.releaseName', 'spec.releaseName')) ??
    (target ? `${target}-${name}` : name);
  const createNamespace = c.take('spec.install.createNamespace') === true;
  const crds = c.take('spec.install.crds');
  const drift = c.take('spec.driftDetection.mode') === 'enabled';
  c.drop('spec.driftDetection.ignore', 'use the Application ignoreDifferences');
  origin.set(p('spec.source.render.values'), p('spec.values'));
  origin.set(p('spec.source.render.valuesFrom'), p('spec.valuesFrom'));
  origin.set(p('spec.dependsOn'), p('spec.dependsOn'));
  c.emit(
    'Application',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'Application',
      metadata,
      spec: {
        source: {
          ...source,
          render: {
            plugin: 'helm',
            releaseName,
            values: c.take('spec.values'),
            valuesFrom: c.take('spec.valuesFrom'),
            skipCrds: crds === 'Skip' ? true : undefined,
          },
        },
        destination: { namespace: target ?? ns },
        syncPolicy: {
          // Flux corrects drift of a release only with driftDetection enabled.
          automated: off ? undefined : { prune: true, selfHeal: drift },
          refreshInterval: c.move(origin, 'spec.syncPolicy.refreshInterval', 'spec.interval'),
          syncOptions: createNamespace ? ['CreateNamespace=true'] : undefined,
        },
        dependsOn: dependsOn(c, ns),
        progressDeadline: c.move(origin, 'spec.progressDeadline', 'spec.timeout'),
        alerts: alertsFor(ctx, 'HelmRelease', name, ns),
      },
    },
    origin,
  );
  c.reportUnread();
}
