// Argo Rollouts AnalysisTemplate / ClusterAnalysisTemplate (argoproj.io/v1alpha1) → one Sluice
// MetricTemplate per Prometheus or web metric. Conditions, limits and counts belong to Sluice's metric
// checks, so the Rollout converter reads them from here (see argo-analysis.ts).
import { OriginMap } from '../origin.js';
import { convertQuery, metricTemplateName } from './argo-analysis.js';
import { convertWebMetric, secretArgs } from './argo-web-metric.js';
import { type CompatContext, list } from './context.js';
import { type Conversion, p } from './conversion.js';

/** Argo metric providers Sluice converts. */
const converted = ['prometheus', 'web'];

/** What to do instead of an Argo metric provider Sluice's MetricTemplate cannot express. */
const otherProviders: Record<string, string> = {
  job: 'Sluice runs no Jobs during analysis; run the check behind a Rollout analysis webhook (type rollout or pre-rollout)',
};

/** Converts an Argo AnalysisTemplate into Sluice MetricTemplates. */
export function convertArgoAnalysisTemplate(c: Conversion, _ctx: CompatContext): void {
  const first = new OriginMap();
  const metadata = c.metadata(first, { namespaced: c.peek('kind') !== 'ClusterAnalysisTemplate' });
  // Read by the Rollouts that pass them; those from Secrets become web metrics' secret headers.
  const secrets = secretArgs(c.take('spec.args'));
  c.drop('spec.dryRun', 'Sluice has no dry-run metrics; remove the metric instead');
  c.drop('spec.measurementRetention', 'Sluice keeps every measurement in the workflow history');
  const metrics = list(c.peek('spec.metrics')) as Record<string, unknown>[];
  metrics.forEach((m, i) => {
    const at = `spec.metrics.${i}`;
    // Read by the Rollout converter, which turns them into the check's condition and limits.
    c.ignore(
      `${at}.name`,
      `${at}.interval`,
      `${at}.count`,
      `${at}.successCondition`,
      `${at}.failureCondition`,
      `${at}.failureLimit`,
    );
    for (const f of ['inconclusiveLimit', 'consecutiveErrorLimit', 'initialDelay', 'consecutiveSuccessLimit'])
      c.drop(`${at}.${f}`, 'Sluice counts failed checks with spec.analysis.threshold only');
    const providers = Object.keys((m.provider ?? {}) as object);
    const other = providers.find((k) => !converted.includes(k));
    if (other !== undefined) {
      c.error(
        `${at}.provider.${other}`,
        `the ${other} provider is not supported: Sluice converts prometheus and web metrics only`,
        otherProviders[other] ??
          'query the same data through Prometheus or a web endpoint, or remove the metric',
      );
      return;
    }
    const origin = i === 0 ? first : new OriginMap();
    origin.set(p('metadata'), p('metadata'));
    if (metrics.length > 1) origin.set(p('metadata.name'), p(`${at}.name`));
    const spec = providers.includes('web')
      ? webSpec(c, origin, `${at}.provider.web`, secrets)
      : prometheusSpec(c, origin, `${at}.provider.prometheus`);
    if (!spec) return;
    c.emit(
      'MetricTemplate',
      {
        apiVersion: 'sluice.dev/v1alpha1',
        kind: 'MetricTemplate',
        metadata: {
          ...metadata,
          name: metricTemplateName(String(metadata.name), String(m.name), metrics.length),
        },
        spec,
      },
      origin,
    );
  });
  c.reportUnread();
}

/** A Prometheus metric's MetricTemplate spec. */
function prometheusSpec(c: Conversion, origin: OriginMap, prom: string): Record<string, unknown> {
  c.drop(`${prom}.timeout`, 'Sluice uses the provider plugin timeout');
  c.drop(`${prom}.insecure`, 'Sluice always verifies TLS certificates');
  return {
    provider: { type: 'prometheus', address: c.move(origin, 'spec.provider.address', `${prom}.address`) },
    query: convertQuery(c.move(origin, 'spec.query', `${prom}.query`)),
  };
}

/** A web metric's MetricTemplate spec, or undefined when it is refused. */
function webSpec(
  c: Conversion,
  origin: OriginMap,
  at: string,
  secrets: ReturnType<typeof secretArgs>,
): Record<string, unknown> | undefined {
  const web = convertWebMetric(c, origin, at, secrets);
  return web && { provider: { type: 'web' }, web };
}
