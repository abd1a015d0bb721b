import { builtinQuery, isBuiltinCheck } from '../../core/analysis/builtins.js';
import { isJobMetric } from '../../core/analysis/job-metric.js';
import type { AnalysisCheck, AnalysisTarget, CheckResult } from '../../core/analysis/types.js';
import type { Caller } from '../../core/identity.js';
import { MetricProviderUnreachable } from '../../plugins/metrics/errors.js';
import { createMetricProvider, type MetricProviderOptions } from '../../plugins/metrics/factory.js';
import type { MetricProviderConfig } from '../../plugins/metrics/types.js';
import { fetchForAddress } from '../egress/admin-origin.js';
import type { EgressFetch } from '../egress/guarded-fetch.js';
import type { SecretAccess } from '../trust/secret-access.js';
import { evaluateCheck } from './evaluate.js';
import { type JobMetricContext, measureJob } from './job/measure.js';
import { resolveProviderConfig } from './provider-config.js';
import { type QueryRetry, queryWithRetry } from './retry.js';
import { type QueryModel, renderQuery } from './template.js';
import { webProviderConfig, webUrl } from './web-request.js';

/** What one check needs besides its own settings. */
export interface CheckContext {
  rollout: AnalysisTarget;
  interval: string;
  secrets: SecretAccess;
  caller: Caller;
  defaultPrometheusAddress?: string;
  retry?: QueryRetry;
  provider?: MetricProviderOptions;
  /** The egress-guarded fetch, for addresses a MetricTemplate chose (the default Prometheus is the worker's own). */
  egressFetch: EgressFetch;
  /** What job metrics need: the cluster, the Project registry, the round's key (absent: job metrics are an Error). */
  jobs?: Omit<JobMetricContext, 'caller' | 'rollout' | 'fill'>;
}

/** The query template of a check: its MetricTemplate's, else the built-in for the rollout's provider. */
function queryTemplate(check: AnalysisCheck, rollout: AnalysisTarget): string {
  const template = check.template;
  if (template?.query !== undefined) return template.query;
  if (template) {
    const needs = template.provider.type === 'web' ? 'spec.web' : 'spec.query';
    throw new Error(`the MetricTemplate of check ${check.name} has no ${needs}`);
  }
  if (isBuiltinCheck(check.name)) return builtinQuery(check.name, rollout.provider, rollout.ingress);
  throw new Error(`check ${check.name} is not a built-in and has no MetricTemplate: set its templateRef`);
}

/** The provider to ask, with the fetch it asks through. */
interface Ask {
  config: MetricProviderConfig;
  fetch: EgressFetch | undefined;
}

/** A Prometheus query's provider: the worker's own Prometheus is exempt from the egress policy. */
async function prometheusAsk(check: AnalysisCheck, ctx: CheckContext): Promise<Ask> {
  const spec = check.template?.provider ?? { type: 'prometheus' as const };
  const config = await resolveProviderConfig(spec, ctx.secrets, ctx.caller, ctx.defaultPrometheusAddress);
  return {
    config,
    fetch: fetchForAddress(config.address ?? '', [ctx.defaultPrometheusAddress], ctx.egressFetch),
  };
}

/** Runs one check to a verdict; every failure becomes an `Error` result, never a throw. */
export async function runCheck(check: AnalysisCheck, ctx: CheckContext): Promise<CheckResult> {
  let query: string | undefined;
  try {
    if (!check.thresholdRange && !check.successCondition)
      throw new Error('the check sets neither thresholdRange nor successCondition');
    const { rollout } = ctx;
    const model: QueryModel = {
      name: rollout.name,
      namespace: rollout.namespace,
      target: rollout.target,
      service: rollout.service,
      ingress: rollout.ingress,
      interval: check.interval ?? ctx.interval,
      variables: check.variables as Record<string, string> | undefined,
    };
    if (check.template && isJobMetric(check.template)) {
      if (!ctx.jobs) throw new Error('job metrics are not available to this analysis (no cluster given)');
      const fill = (s: string) => renderQuery(s, model);
      const m = await measureJob(check.name, check.template, {
        ...ctx.jobs,
        caller: ctx.caller,
        rollout,
        fill,
      });
      query = `job ${m.job}`;
      const result = evaluateCheck(check, query, m.value);
      return { ...result, message: `${result.message} (job ${m.job}: ${m.reason})` };
    }
    const web = check.template?.provider.type === 'web' ? check.template.web : undefined;
    let ask: Ask;
    if (web) {
      query = webUrl(web, model);
      // Always the guarded fetch, even to the worker's own Prometheus origin: a web metric chooses the
      // method and path (a POST to an admin API), where a prometheus one can only run a query.
      const config = await webProviderConfig(web, query, model, ctx.secrets, ctx.caller);
      ask = { config, fetch: ctx.egressFetch };
    } else {
      query = renderQuery(queryTemplate(check, rollout), model);
      ask = await prometheusAsk(check, ctx);
    }
    const provider = createMetricProvider(ask.config, {
      ...ctx.provider,
      ...(ask.fetch ? { fetch: ask.fetch } : {}),
    });
    return evaluateCheck(check, query, await queryWithRetry(provider, query, ctx.retry));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const tries =
      err instanceof MetricProviderUnreachable ? ` (after ${ctx.retry?.attempts ?? 3} tries)` : '';
    return {
      name: check.name,
      verdict: 'Error',
      message: `${check.name}: ${message}${tries}`,
      ...(query !== undefined && { query }),
      ...(check.thresholdRange && { thresholdRange: check.thresholdRange }),
      ...(check.successCondition && { successCondition: check.successCondition }),
    };
  }
}
