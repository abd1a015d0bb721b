// Flagger Canary (flagger.app/v1beta1) → Sluice Rollout. Field meanings follow Flagger's docs
// ("How it works", "Metrics analysis", "Webhooks", "Alerting").
import { OriginMap } from '../origin.js';
import { type CompatContext, list, seconds, str } from './context.js';
import { type Conversion, p } from './conversion.js';

// Flagger provider names → Sluice traffic plugins; Flagger's versioned names collapse to one plugin.
// OSM is Flagger's SMI router too (its factory gives "osm" an SMI v1alpha2 TrafficSplit).
const providers: Record<string, string> = {
  kubernetes: 'kubernetes',
  istio: 'istio',
  nginx: 'nginx',
  linkerd: 'linkerd',
  osm: 'smi',
  'gatewayapi:v1': 'gateway-api',
  'gatewayapi:v1beta1': 'gateway-api',
  'smi:v1alpha1': 'smi',
  'smi:v1alpha2': 'smi',
  'smi:v1alpha3': 'smi',
};

// What to do instead, for each provider Flagger documents that Sluice has no plugin for.
const gatewayApiInstead = (what: string) =>
  `${what} implements the Gateway API: write spec.provider: gatewayapi:v1 and attach the route with spec.service.gatewayRefs`;
const insteadOf: Record<string, string> = {
  appmesh: 'Sluice has no App Mesh provider: move the service to istio or linkerd and write spec.provider',
  contour: gatewayApiInstead('Contour'),
  gloo: gatewayApiInstead('Gloo Gateway'),
  traefik: gatewayApiInstead('Traefik'),
  apisix: gatewayApiInstead('APISIX'),
  kuma: gatewayApiInstead("Kuma's built-in gateway"),
  skipper:
    'Sluice has no Skipper provider: route through an NGINX Ingress (spec.provider: nginx with spec.ingressRef) or the Gateway API',
  knative:
    "Knative splits traffic between its own Revisions: keep Knative's traffic split, or run the workload as a Deployment",
};

/** The Sluice plugin for a Flagger provider name; Flagger matches SMI names by prefix ("smi:v1alpha2:osm"). */
function sluiceProvider(name: string): string | undefined {
  return providers[name] ?? providers[name.split(':').slice(0, 2).join(':')];
}

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

// Flagger's routing fields that keep their name and meaning in a Sluice Rollout's service.
const serviceFields = [
  'name',
  'port',
  'portName',
  'targetPort',
  'timeout',
  'gateways',
  'hosts',
  'gatewayRefs',
  'match',
  'rewrite',
  'retries',
  'headers',
  'corsPolicy',
  'trafficPolicy',
  'apex',
  'primary',
  'canary',
];

// Flagger's Set-Cookie attributes (BuildCookie), the same fields in a Sluice Rollout.
const COOKIE_ATTRIBUTES = ['domain', 'httpOnly', 'partitioned', 'path', 'sameSite', 'secure'];

/** Flagger's analysis.sessionAffinity as the Rollout's service.sessionAffinity. */
function sessionAffinity(c: Conversion, origin: OriginMap, a: string): Record<string, unknown> | undefined {
  const at = `${a}.sessionAffinity`;
  if (c.peek(at) === undefined) return undefined;
  origin.set(p('spec.service.sessionAffinity'), p(at));
  const to = 'spec.service.sessionAffinity';
  return {
    cookieName: c.move(origin, `${to}.cookieName`, `${at}.cookieName`),
    maxAge: c.move(origin, `${to}.maxAge`, `${at}.maxAge`),
    primaryCookieName: c.move(origin, `${to}.primaryCookieName`, `${at}.primaryCookieName`),
    ...Object.fromEntries(COOKIE_ATTRIBUTES.map((f) => [f, c.move(origin, `${to}.${f}`, `${at}.${f}`)])),
  };
}

/** Flagger's autoscalerRef: Sluice copies the HorizontalPodAutoscalers that scale the target on its own. */
function autoscaler(c: Conversion): void {
  const kind = str(c.take('spec.autoscalerRef.kind'));
  if (kind === undefined) return;
  c.take('spec.autoscalerRef.apiVersion');
  c.take('spec.autoscalerRef.name');
  if (c.take('spec.autoscalerRef.primaryScalerReplicas') !== undefined)
    c.error(
      'spec.autoscalerRef.primaryScalerReplicas',
      "Sluice's primary gets a copy of the target's HorizontalPodAutoscaler, with the same replica bounds",
      'set minReplicas and maxReplicas on the HorizontalPodAutoscaler, or remove primaryScalerReplicas',
    );
  if (kind !== 'HorizontalPodAutoscaler')
    c.error(
      'spec.autoscalerRef.kind',
      `Sluice copies HorizontalPodAutoscalers for the primary, not ${kind}`,
      'scale the Deployment with a HorizontalPodAutoscaler, or remove autoscalerRef',
    );
}

/** Converts a Flagger Canary into a Sluice Rollout. */
export function convertFlaggerCanary(c: Conversion, ctx: CompatContext): void {
  const origin = new OriginMap();
  const a = c.peek('spec.analysis') !== undefined ? 'spec.analysis' : 'spec.canaryAnalysis';
  const kind = str(c.take('spec.targetRef.kind'));
  if (kind !== undefined && kind !== 'Deployment')
    c.error('spec.targetRef.kind', `Sluice rolls out Deployments only, not ${kind}`);
  c.take('spec.targetRef.apiVersion');
  const provider = str(c.take('spec.provider'));
  if (provider !== undefined && !sluiceProvider(provider))
    c.error(
      'spec.provider',
      `Flagger provider "${provider}" has no Sluice traffic plugin`,
      insteadOf[provider.split(':')[0] as string] ??
        `Sluice has: ${[...new Set(Object.values(providers))].join(', ')}`,
    );
  origin.set(p('spec.provider'), p('spec.provider'));
  c.drop('spec.metricsServer', 'set the Prometheus address in the worker configuration or a MetricTemplate');
  autoscaler(c);
  // nginx routes through the user's Ingress: Flagger's ingressRef is Sluice's.
  const ingress = c.move(origin, 'spec.ingressRef.name', 'spec.ingressRef.name');
  c.take('spec.ingressRef.apiVersion');
  c.take('spec.ingressRef.kind');
  c.drop('spec.revertOnDeletion', 'deleting a Rollout leaves the workload as it is');
  c.drop('spec.service.portDiscovery', 'the generated Service carries service.port only');
  const service: Record<string, unknown> = {};
  for (const f of serviceFields) service[f] = c.move(origin, `spec.service.${f}`, `spec.service.${f}`);
  service.sessionAffinity = sessionAffinity(c, origin, a);
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
        // Flagger users name the mesh once, at install: the administrator's default stands in for it.
        provider: provider === undefined ? ctx.defaultProvider : sluiceProvider(provider),
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
