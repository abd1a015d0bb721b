// Argo Rollouts AnalysisTemplate / ClusterAnalysisTemplate (argoproj.io/v1alpha1) → one Sluice
// MetricTemplate per Prometheus or job metric. Conditions, limits and counts belong to Sluice's metric
// checks, so the Rollout converter reads them from here (see argo-analysis.ts).
import { OriginMap } from '../origin.js';
import { convertArgs, convertQuery, metricTemplateName } from './argo-analysis.js';
import { argoJobTimeout } from './argo-job-metric.js';
import { type CompatContext, list } from './context.js';
import { type Conversion, p } from './conversion.js';

/** Argo metric providers Sluice's MetricTemplate converts. */
const CONVERTED = ['prometheus', 'job'];

/** What to do instead of an Argo metric provider Sluice's MetricTemplate cannot express. */
const otherProviders: Record<string, string> = {
  web: 'a MetricTemplate is a number from Prometheus or a Job; call the endpoint from a Rollout analysis webhook (type rollout), which fails the check on a non-2xx answer',
};

/** The MetricTemplate spec of an Argo prometheus metric. */
function prometheusSpec(c: Conversion, origin: OriginMap, at: string): Record<string, unknown> {
  const prom = `${at}.provider.prometheus`;
  c.drop(`${prom}.timeout`, 'Sluice uses the provider plugin timeout');
  c.drop(`${prom}.insecure`, 'Sluice always verifies TLS certificates');
  return {
    provider: { type: 'prometheus', address: c.move(origin, 'spec.provider.address', `${prom}.address`) },
    query: convertQuery(c.move(origin, 'spec.query', `${prom}.query`)),
  };
}

/**
 * The MetricTemplate spec of an Argo job metric: the Job's labels, annotations and spec as written, with
 * {{args.x}} as {{ variables.x }}; any other metadata is left unread, so it is reported.
 */
function jobSpec(c: Conversion, origin: OriginMap, at: string): Record<string, unknown> {
  const job = `${at}.provider.job`;
  const spec = convertArgs(c.move(origin, 'spec.job.spec', `${job}.spec`));
  return {
    provider: { type: 'job' },
    job: {
      metadata: {
        labels: convertArgs(c.move(origin, 'spec.job.metadata.labels', `${job}.metadata.labels`)),
        annotations: convertArgs(
          c.move(origin, 'spec.job.metadata.annotations', `${job}.metadata.annotations`),
        ),
      },
      spec,
      timeout: argoJobTimeout(c, `${job}.spec`, spec),
    },
  };
}

/** Converts an Argo AnalysisTemplate into Sluice MetricTemplates. */
export function convertArgoAnalysisTemplate(c: Conversion, _ctx: CompatContext): void {
  const first = new OriginMap();
  const metadata = c.metadata(first, { namespaced: c.peek('kind') !== 'ClusterAnalysisTemplate' });
  c.take('spec.args'); // read by the Rollouts that pass them
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
    const other = providers.find((k) => !CONVERTED.includes(k));
    if (other !== undefined) {
      c.error(
        `${at}.provider.${other}`,
        `the ${other} provider is not supported: Sluice converts prometheus and job metrics only`,
        otherProviders[other] ?? 'query the same data through Prometheus, or remove the metric',
      );
      return;
    }
    const origin = i === 0 ? first : new OriginMap();
    origin.set(p('metadata'), p('metadata'));
    if (metrics.length > 1) origin.set(p('metadata.name'), p(`${at}.name`));
    const spec = providers.includes('job') ? jobSpec(c, origin, at) : prometheusSpec(c, origin, at);
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
