// Argo Rollouts Rollout (argoproj.io/v1alpha1) → Sluice Rollout. Semantics follow Argo Rollouts'
// "Canary", "BlueGreen", "Analysis" and "Traffic management" docs. An Argo Rollout does not state the
// Service port Sluice generates, so it is read from the annotation sluice.dev/service-port.
import { OriginMap } from '../origin.js';
import { analysisMetrics } from './argo-analysis.js';
import { type CompatContext, defaultNamespace, list, seconds, str } from './context.js';
import { type Conversion, p } from './conversion.js';

/** Annotation that gives a converted Argo Rollout its Service port. */
export const servicePortAnnotation = 'sluice.dev/service-port';

const routers: Record<string, string> = { istio: 'istio', nginx: 'nginx', smi: 'smi' };
const gatewayPlugin = 'argoproj-labs/gatewayAPI';

function provider(c: Conversion, base: string): string {
  const tr = c.take(`${base}.trafficRouting`) as Record<string, unknown> | undefined;
  if (!tr) return 'kubernetes'; // Argo without traffic routing shifts by replica counts
  const names = Object.keys(tr).flatMap((k) => (k === 'plugins' ? Object.keys(tr.plugins as object) : [k]));
  const known = names.map((n) => (n === gatewayPlugin ? 'gateway-api' : routers[n])).filter(Boolean);
  if (known.length !== names.length || known.length !== 1)
    c.error(
      `${base}.trafficRouting`,
      `traffic routing ${names.join(', ')} is not converted`,
      'Sluice routes with exactly one of istio, nginx, smi or the Gateway API plugin',
    );
  else
    c.issues.push({
      severity: 'warning',
      field: p(`${base}.trafficRouting`),
      at: p(`${base}.trafficRouting`),
      prefer: 'key',
      message: 'not converted: route names; Sluice generates its own routes for the Service',
    });
  return known[0] ?? 'kubernetes';
}

function steps(
  c: Conversion,
  ctx: CompatContext,
  origin: OriginMap,
  ns: string,
  interval: () => string | undefined,
): unknown[] {
  return list(c.peek('spec.strategy.canary.steps')).map((step, i) => {
    const at = `spec.strategy.canary.steps.${i}`;
    const target = `spec.strategy.canary.steps.${i}`;
    origin.set(p(target), p(at));
    const kind = Object.keys((step ?? {}) as object)[0];
    if (kind === 'setWeight') return { setWeight: c.take(`${at}.setWeight`) };
    if (kind === 'pause') {
      c.take(`${at}.pause`);
      return {
        pause: { duration: seconds(c.move(origin, `${target}.pause.duration`, `${at}.pause.duration`)) },
      };
    }
    if (kind === 'analysis') {
      const a = analysisMetrics(c, ctx, `${at}.analysis`, ns);
      if (a.interval !== undefined && a.interval !== interval())
        c.issues.push({
          severity: 'warning',
          field: p(`${at}.analysis`),
          at: p(`${at}.analysis`),
          prefer: 'key',
          message: `not converted: interval ${a.interval}; Sluice checks at spec.analysis.interval`,
        });
      for (const [j, m] of a.metrics.entries()) origin.set(p(`${target}.analysis.metrics.${j}`), p(m.from));
      // Without metrics (a template that was not found) the step stays valid; the converter reported why.
      const metrics = a.metrics.length ? a.metrics.map((m) => m.value) : undefined;
      return { analysis: { metrics, iterations: a.count } };
    }
    c.error(
      `${at}.${kind}`,
      `the ${kind} step has no Sluice equivalent`,
      'Sluice steps are setWeight, pause and analysis',
    );
    return {};
  });
}

/** Converts an Argo Rollouts Rollout into a Sluice Rollout. */
export function convertArgoRollout(c: Conversion, ctx: CompatContext): void {
  const origin = new OriginMap();
  const ns = str(c.peek('metadata.namespace')) ?? defaultNamespace;
  const metadata = c.metadata(origin);
  const port = (metadata.annotations as Record<string, string> | undefined)?.[servicePortAnnotation];
  origin.set(p('spec.service.port'), ['metadata', 'annotations', servicePortAnnotation]);
  if (port === undefined)
    c.error(
      'metadata',
      'Sluice needs the Service port, which an Argo Rollout does not state',
      `add the annotation ${servicePortAnnotation}: "8080" (your port)`,
    );
  if (c.peek('spec.template') !== undefined)
    c.error(
      'spec.template',
      'inline pod templates are not converted: Sluice rolls out an existing Deployment',
      'move the template into a Deployment and point spec.workloadRef at it',
    );
  const kind = str(c.take('spec.workloadRef.kind'));
  if (kind !== undefined && kind !== 'Deployment')
    c.error('spec.workloadRef.kind', `Sluice rolls out Deployments only, not ${kind}`);
  c.take('spec.workloadRef.apiVersion');
  c.drop(
    'spec.workloadRef.scaleDown',
    'Sluice scales the Deployment to zero once its -primary copy serves, as Flagger does',
  );
  c.ignore('spec.selector'); // it must match the Deployment's, which Sluice reads from the Deployment
  for (const f of [
    'replicas',
    'revisionHistoryLimit',
    'minReadySeconds',
    'paused',
    'restartAt',
    'rollbackWindow',
    'analysis',
    'progressDeadlineAbort',
  ])
    c.drop(`spec.${f}`, 'the Deployment and Sluice decide this');
  const canary = 'spec.strategy.canary';
  for (const f of [
    'canaryService',
    'stableService',
    'maxSurge',
    'maxUnavailable',
    'scaleDownDelaySeconds',
    'abortScaleDownDelaySeconds',
    'dynamicStableScale',
    'canaryMetadata',
    'stableMetadata',
    'antiAffinity',
  ])
    c.drop(`${canary}.${f}`, 'Sluice generates and scales the -canary and -primary workloads itself');
  const background =
    c.peek(`${canary}.analysis`) !== undefined
      ? analysisMetrics(c, ctx, `${canary}.analysis`, ns)
      : undefined;
  for (const [j, m] of (background?.metrics ?? []).entries())
    origin.set(p(`spec.analysis.metrics.${j}`), p(m.from));
  c.drop(`${canary}.analysis.startingStep`, "Sluice's background analysis runs from the first step");
  const interval = () => background?.interval;
  const strategy: Record<string, unknown> = {};
  let trafficProvider = 'kubernetes';
  let ingressRef: { name: string } | undefined;
  let pre: ReturnType<typeof analysisMetrics> | undefined;
  if (c.peek(canary) !== undefined) {
    const stableIngress = c.peek(`${canary}.trafficRouting.nginx.stableIngress`);
    trafficProvider = provider(c, canary);
    // nginx routes through the user's Ingress: Argo's stableIngress is Sluice's ingressRef.
    if (trafficProvider === 'nginx' && typeof stableIngress === 'string') {
      ingressRef = { name: stableIngress };
      origin.set(p('spec.ingressRef.name'), p(`${canary}.trafficRouting.nginx.stableIngress`));
    }
    origin.set(p('spec.strategy.canary'), p(canary));
    strategy.canary = { steps: steps(c, ctx, origin, ns, interval) };
  }
  const bg = 'spec.strategy.blueGreen';
  if (c.peek(bg) !== undefined) {
    origin.set(p('spec.strategy.blueGreen'), p(bg));
    if (c.peek(`${bg}.autoPromotionEnabled`) === false)
      c.error(
        `${bg}.autoPromotionEnabled`,
        'manual promotion is not converted',
        'add a confirm-promotion webhook to the Sluice Rollout',
      );
    else c.take(`${bg}.autoPromotionEnabled`);
    for (const f of [
      'activeService',
      'previewService',
      'previewReplicaCount',
      'autoPromotionSeconds',
      'scaleDownDelaySeconds',
      'scaleDownDelayRevisionLimit',
      'abortScaleDownDelaySeconds',
      'activeMetadata',
      'previewMetadata',
      'antiAffinity',
    ])
      c.drop(`${bg}.${f}`, 'Sluice generates and scales the -primary workload and its Service itself');
    if (c.peek(`${bg}.prePromotionAnalysis`) !== undefined)
      pre = analysisMetrics(c, ctx, `${bg}.prePromotionAnalysis`, ns);
    const offset = background?.metrics.length ?? 0;
    for (const [j, m] of (pre?.metrics ?? []).entries())
      origin.set(p(`spec.analysis.metrics.${offset + j}`), p(m.from));
    strategy.blueGreen = { iterations: pre?.count ?? 1 };
  }
  const metrics = [...(background?.metrics ?? []), ...(pre?.metrics ?? [])].map((m) => m.value);
  const failureLimit = background?.failureLimit ?? pre?.failureLimit;
  c.emit(
    'Rollout',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'Rollout',
      metadata,
      spec: {
        targetRef: { name: c.move(origin, 'spec.targetRef.name', 'spec.workloadRef.name') },
        service: { port: port === undefined || !/^\d+$/.test(port) ? port : Number(port) },
        provider: trafficProvider,
        ingressRef,
        progressDeadline: seconds(c.move(origin, 'spec.progressDeadline', 'spec.progressDeadlineSeconds')),
        strategy,
        analysis: {
          interval: background?.interval ?? pre?.interval,
          // Argo fails an analysis when failures exceed failureLimit; Sluice rolls back at threshold failures.
          threshold: failureLimit === undefined ? undefined : failureLimit + 1,
          metrics: metrics.length ? metrics : undefined,
        },
      },
    },
    origin,
  );
  c.reportUnread();
}
