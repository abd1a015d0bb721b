import type { TrafficProviderName } from '../traffic/providers.js';

/** Names of the built-in checks, which need no MetricTemplate. */
export const BUILTIN_CHECKS = ['request-success-rate', 'request-duration'] as const;
export type BuiltinCheck = (typeof BUILTIN_CHECKS)[number];

/** Whether a check name is a built-in. */
export function isBuiltinCheck(name: string): name is BuiltinCheck {
  return (BUILTIN_CHECKS as readonly string[]).includes(name);
}

/** A built-in has no query for this traffic provider: the user must write a MetricTemplate. */
export class NoBuiltinQueryError extends Error {
  override name = 'NoBuiltinQueryError' as const;
}

// Queries measure the canary only (the target Deployment, {{ target }}), as Flagger's do: the
// success rate is the percentage of non-5xx responses, the duration the P99 in milliseconds.
// Istio: the server-side proxy's view (reporter="destination") of the canary workload.
const istio: Record<BuiltinCheck, string> = {
  'request-success-rate': `sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}",response_code!~"5.*"}[{{ interval }}])) / sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}"}[{{ interval }}])) * 100`,
  'request-duration': `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}"}[{{ interval }}])) by (le))`,
};

// Linkerd's proxy metrics; SMI traffic splits run on Linkerd here, so they share them.
// A 5xx is a response with classification="failure" on the inbound side.
const linkerd: Record<BuiltinCheck, string> = {
  'request-success-rate': `sum(rate(response_total{namespace="{{ namespace }}",deployment="{{ target }}",direction="inbound",classification!="failure"}[{{ interval }}])) / sum(rate(response_total{namespace="{{ namespace }}",deployment="{{ target }}",direction="inbound"}[{{ interval }}])) * 100`,
  'request-duration': `histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace="{{ namespace }}",deployment="{{ target }}",direction="inbound"}[{{ interval }}])) by (le))`,
};

// ingress-nginx labels requests with the user's ingress, and with canary="<upstream>" when its
// canary Ingress routed them: canary!="" keeps only the canary's share. Durations are in seconds.
const nginx: Record<BuiltinCheck, string> = {
  'request-success-rate': `sum(rate(nginx_ingress_controller_requests{namespace="{{ namespace }}",ingress="{{ ingress }}",canary!="",status!~"5.*"}[{{ interval }}])) / sum(rate(nginx_ingress_controller_requests{namespace="{{ namespace }}",ingress="{{ ingress }}",canary!=""}[{{ interval }}])) * 100`,
  'request-duration': `histogram_quantile(0.99, sum(rate(nginx_ingress_controller_request_duration_seconds_bucket{namespace="{{ namespace }}",ingress="{{ ingress }}",canary!=""}[{{ interval }}])) by (le)) * 1000`,
};

const byProvider: Record<TrafficProviderName, Record<BuiltinCheck, string> | undefined> = {
  istio,
  linkerd,
  smi: linkerd,
  nginx,
  kubernetes: undefined,
  'gateway-api': undefined,
};

/** The query template of a built-in check for a traffic provider; throws NoBuiltinQueryError where there is none. */
export function builtinQuery(check: BuiltinCheck, provider: TrafficProviderName, ingress?: string): string {
  const queries = Object.hasOwn(byProvider, provider) ? byProvider[provider] : undefined;
  if (!queries)
    throw new NoBuiltinQueryError(
      `the built-in check ${check} has no query for provider ${JSON.stringify(provider)}, which exports no standard request metrics: give the check a templateRef to a MetricTemplate with your own query`,
    );
  if (provider === 'nginx' && !ingress)
    throw new NoBuiltinQueryError(
      `the built-in check ${check} for provider "nginx" needs the rollout's ingress`,
    );
  return queries[check];
}
