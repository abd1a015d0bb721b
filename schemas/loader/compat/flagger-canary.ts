// Flagger Canary (flagger.app/v1beta1) → Sluice Rollout. Field meanings follow Flagger's docs
// ("How it works", "Metrics analysis", "Webhooks", "Alerting").
import { OriginMap } from '../origin.js';
import { type CompatContext, list, seconds, str } from './context.js';
import { type Conversion, p } from './conversion.js';

// Flagger provider names → Sluice traffic plugins; Flagger's versioned names collapse to one plugin.
const providers: Record<string, string> = {
  kubernetes: 'kubernetes',
  istio: 'istio',
  nginx: 'nginx',
  linkerd: 'linkerd',
  'gatewayapi:v1': 'gateway-api',
  'gatewayapi:v1beta1': 'gateway-api',
  'smi:v1alpha1': 'smi',
  'smi:v1alpha2': 'smi',
  'smi:v1alpha3': 'smi',
};

function convertMatch(c: Conversion, origin: OriginMap, base: string): unknown[] {
  return list(c.peek(`${base}.match`)).map((_, i) => {
    const at = `${base}.match.${i}`;
    origin.set(p(`spec.strategy.abTesting.match.${i}`), p(at));
    const headers = c.take(`${at}.headers`);
    return { headers };
  });
}

function strategy(c: Conversion, origin: OriginMap, a: string): Record<string, unknown> {
  const iterations = c.peek(`${a}.iterations`);
  if (c.peek(`${a}.match`) !== undefined) {
    origin.set(p('spec.strategy.abTesting.iterations'), p(`${a}.iterations`));
    c.take(`${a}.iterations`);
    const match = convertMatch(c, origin, a);
    c.take(`${a}.match`);
    return { abTesting: { iterations, match } };
  }
  if (
    iterations !== undefined &&
    c.peek(`${a}.stepWeight`) === undefined &&
    c.peek(`${a}.stepWeights`) === undefined
  ) {
    return {
      blueGreen: {
        iterations: c.move(origin, 'spec.strategy.blueGreen.iterations', `${a}.iterations`),
        mirror: c.move(origin, 'spec.strategy.blueGreen.mirror', `${a}.mirror`),
      },
    };
  }
  origin.set(p('spec.strategy.canary'), p(a));
  return {
    canary: {
      stepWeight: c.move(origin, 'spec.strategy.canary.stepWeight', `${a}.stepWeight`),
      maxWeight: c.move(origin, 'spec.strategy.canary.maxWeight', `${a}.maxWeight`),
      stepWeights: c.move(origin, 'spec.strategy.canary.stepWeights', `${a}.stepWeights`),
    },
  };
}

function analysis(c: Conversion, origin: OriginMap, a: string): Record<string, unknown> {
  const metrics = list(c.peek(`${a}.metrics`)).map((_, i) => {
    const m = `${a}.metrics.${i}`;
    const t = `spec.analysis.metrics.${i}`;
    origin.set(p(t), p(m));
    if (c.peek(`${m}.query`) !== undefined)
      c.error(
        `${m}.query`,
        'inline queries are deprecated in Flagger and not converted',
        'move the query into a MetricTemplate and use templateRef',
      );
    if (c.peek(`${m}.threshold`) !== undefined)
      c.error(`${m}.threshold`, 'deprecated Flagger field, not converted', 'use thresholdRange');
    return {
      name: c.move(origin, `${t}.name`, `${m}.name`),
      templateRef: c.move(origin, `${t}.templateRef`, `${m}.templateRef`),
      variables: c.move(origin, `${t}.variables`, `${m}.templateVariables`),
      thresholdRange: c.move(origin, `${t}.thresholdRange`, `${m}.thresholdRange`),
      interval: c.move(origin, `${t}.interval`, `${m}.interval`),
    };
  });
  const webhooks = list(c.peek(`${a}.webhooks`)).map((_, i) => {
    const w = `${a}.webhooks.${i}`;
    const t = `spec.analysis.webhooks.${i}`;
    origin.set(p(t), p(w));
    const hook: Record<string, unknown> = {};
    for (const f of ['name', 'type', 'url', 'timeout', 'metadata']) hook[f] = c.take(`${w}.${f}`);
    return hook;
  });
  const alerts = list(c.peek(`${a}.alerts`)).map((_, i) => {
    origin.set(p(`spec.analysis.alerts.${i}`), p(`${a}.alerts.${i}`));
    return c.take(`${a}.alerts.${i}`);
  });
  for (const f of ['primaryReadyThreshold', 'canaryReadyThreshold'])
    c.drop(`${a}.${f}`, 'Sluice waits until every replica is ready');
  return {
    interval: c.move(origin, 'spec.analysis.interval', `${a}.interval`),
    // Flagger's threshold defaults to 1 where Sluice's defaults to 5: keep Flagger's behaviour.
    threshold: c.move(origin, 'spec.analysis.threshold', `${a}.threshold`) ?? 1,
    metrics: metrics.length ? metrics : undefined,
    webhooks: webhooks.length ? webhooks : undefined,
    alerts: alerts.length ? alerts : undefined,
  };
}

/** Converts a Flagger Canary into a Sluice Rollout. */
export function convertFlaggerCanary(c: Conversion, _ctx: CompatContext): void {
  const origin = new OriginMap();
  const a = c.peek('spec.analysis') !== undefined ? 'spec.analysis' : 'spec.canaryAnalysis';
  const kind = str(c.take('spec.targetRef.kind'));
  if (kind !== undefined && kind !== 'Deployment')
    c.error('spec.targetRef.kind', `Sluice rolls out Deployments only, not ${kind}`);
  c.take('spec.targetRef.apiVersion');
  const provider = str(c.take('spec.provider'));
  if (provider !== undefined && !providers[provider])
    c.error(
      'spec.provider',
      `Flagger provider "${provider}" has no Sluice traffic plugin`,
      `Sluice has: ${[...new Set(Object.values(providers))].join(', ')}`,
    );
  origin.set(p('spec.provider'), p('spec.provider'));
  c.drop('spec.metricsServer', 'set the Prometheus address in the worker configuration or a MetricTemplate');
  c.drop('spec.autoscalerRef', 'Sluice does not create a -primary HorizontalPodAutoscaler yet');
  // nginx routes through the user's Ingress: Flagger's ingressRef is Sluice's.
  const ingress = c.move(origin, 'spec.ingressRef.name', 'spec.ingressRef.name');
  c.take('spec.ingressRef.apiVersion');
  c.take('spec.ingressRef.kind');
  c.drop('spec.revertOnDeletion', 'deleting a Rollout leaves the workload as it is');
  c.drop('spec.service.portDiscovery', 'the generated Service carries service.port only');
  const service: Record<string, unknown> = {};
  for (const f of ['name', 'port', 'portName', 'targetPort', 'timeout', 'gateways', 'hosts'])
    service[f] = c.move(origin, `spec.service.${f}`, `spec.service.${f}`);
  c.emit(
    'Rollout',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'Rollout',
      metadata: c.metadata(origin),
      spec: {
        targetRef: { name: c.move(origin, 'spec.targetRef.name', 'spec.targetRef.name') },
        service,
        ingressRef: ingress === undefined ? undefined : { name: ingress },
        provider: provider === undefined ? undefined : providers[provider],
        progressDeadline: seconds(c.move(origin, 'spec.progressDeadline', 'spec.progressDeadlineSeconds')),
        skipAnalysis: c.move(origin, 'spec.skipAnalysis', 'spec.skipAnalysis'),
        strategy: strategy(c, origin, a),
        analysis: analysis(c, origin, a),
      },
    },
    origin,
  );
  c.reportUnread();
}
