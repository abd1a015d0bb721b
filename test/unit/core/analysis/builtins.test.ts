import { describe, expect, it } from 'vitest';
import { renderQuery } from '../../../../activities/analysis/template.js';
import { builtinQuery, isBuiltinCheck, NoBuiltinQueryError } from '../../../../core/analysis/builtins.js';

const model = {
  name: 'shop',
  namespace: 'prod',
  target: 'shop',
  service: 'shop',
  interval: '1m',
  ingress: 'web',
};
const render = (
  check: 'request-success-rate' | 'request-duration',
  provider: Parameters<typeof builtinQuery>[1],
) => renderQuery(builtinQuery(check, provider, model.ingress), model);

describe('built-in checks', () => {
  it('knows the two built-ins', () => {
    expect(isBuiltinCheck('request-success-rate')).toBe(true);
    expect(isBuiltinCheck('request-duration')).toBe(true);
    expect(isBuiltinCheck('error-rate')).toBe(false);
  });

  it('istio: non-5xx share of the canary workload, destination reporter, and its P99', () => {
    const rate = render('request-success-rate', 'istio');
    expect(rate).toBe(
      'sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="prod",destination_workload="shop",response_code!~"5.*"}[1m])) / sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="prod",destination_workload="shop"}[1m])) * 100',
    );
    expect(render('request-duration', 'istio')).toBe(
      'histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="prod",destination_workload="shop"}[1m])) by (le))',
    );
  });

  it('measures the canary (target), never the primary', () => {
    for (const p of ['istio', 'linkerd', 'smi', 'nginx'] as const)
      for (const c of ['request-success-rate', 'request-duration'] as const)
        expect(render(c, p)).not.toContain('primary');
  });

  it('linkerd and smi: inbound response_total of the deployment, failures excluded, and latency P99', () => {
    const rate = render('request-success-rate', 'linkerd');
    expect(rate).toContain(
      'response_total{namespace="prod",deployment="shop",direction="inbound",classification!="failure"}[1m]',
    );
    expect(rate).toMatch(/\* 100$/);
    expect(render('request-duration', 'linkerd')).toContain(
      'histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace="prod",deployment="shop",direction="inbound"}[1m])) by (le))',
    );
    expect(render('request-success-rate', 'smi')).toBe(rate);
  });

  it('nginx: the ingress requests the canary backend served, duration in milliseconds', () => {
    const rate = render('request-success-rate', 'nginx');
    expect(rate).toContain(
      'nginx_ingress_controller_requests{namespace="prod",ingress="web",canary!="",status!~"5.*"}',
    );
    const duration = render('request-duration', 'nginx');
    expect(duration).toContain(
      'nginx_ingress_controller_request_duration_seconds_bucket{namespace="prod",ingress="web",canary!=""}',
    );
    expect(duration).toMatch(/\* 1000$/);
    expect(() => builtinQuery('request-duration', 'nginx')).toThrow("needs the rollout's ingress");
  });

  it.each(['kubernetes', 'gateway-api'] as const)('%s has no built-in: use a MetricTemplate', (provider) => {
    expect(() => builtinQuery('request-success-rate', provider)).toThrow(NoBuiltinQueryError);
    expect(() => builtinQuery('request-duration', provider)).toThrow(
      /give the check a templateRef to a MetricTemplate/,
    );
  });
});
