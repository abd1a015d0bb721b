// Argo Rollouts AnalysisTemplate / ClusterAnalysisTemplate (argoproj.io/v1alpha1) → one Sluice
// MetricTemplate per Prometheus, web or job metric. Conditions, limits and counts belong to Sluice's metric
// checks, so the Rollout converter reads them from here (see argo-analysis.ts).
import { OriginMap } from '../origin.js';
import { convertArgs, convertQuery, metricTemplateName } from './argo-analysis.js';
import { argoJobTimeout } from './argo-job-metric.js';
import { convertWebMetric, secretArgs } from './argo-web-metric.js';
import { type CompatContext, list } from './context.js';
import { type Conversion, p } from './conversion.js';

/** Argo metric providers Sluice converts. */
const converted = ['prometheus', 'web', 'job'];

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
        `the ${other} provider is not supported: Sluice converts prometheus, web and job metrics only`,
        'query the same data through Prometheus or a web endpoint, or run the check as a Job',
      );
      return;
    }
    const origin = i === 0 ? first : new OriginMap();
    origin.set(p('metadata'), p('metadata'));
    if (metrics.length > 1) origin.set(p('metadata.name'), p(`${at}.name`));
    const spec = providers.includes('web')
      ? webSpec(c, origin, `${at}.provider.web`, secrets)
      : providers.includes('job')
        ? jobSpec(c, origin, `${at}.provider.job`)
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

/**
 * The MetricTemplate spec of an Argo job metric: the Job's labels, annotations and spec as written, with
 * {{args.x}} as {{ variables.x }}; any other metadata is left unread, so it is reported.
 */
function jobSpec(c: Conversion, origin: OriginMap, job: string): Record<string, unknown> {
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
