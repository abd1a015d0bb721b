// Argo Rollouts Rollout (argoproj.io/v1alpha1) → Sluice Rollout, plus the Deployment an inline pod
// template stands for. Semantics follow Argo Rollouts' "Canary", "BlueGreen", "Analysis" and "Traffic
// management" docs; the Service port comes from the Services the Rollout names (argo-service.ts) and the
// routes from trafficRouting (argo-traffic.ts).
import { argoRolloutDeployment, carriedSpecFields } from '../../../core/compat/argo-rollout-workload.js';
import { OriginMap } from '../origin.js';
import { analysisMetrics } from './argo-analysis.js';
import { servicePort } from './argo-service.js';
import { trafficRouting } from './argo-traffic.js';
import { type CompatContext, defaultNamespace, findObject, list, seconds, str } from './context.js';
import { type Conversion, p } from './conversion.js';

export { servicePortAnnotation } from './argo-service.js';

function steps(
  c: Conversion,
  ctx: CompatContext,
  origin: OriginMap,
  ns: string,
  interval: () => string | undefined,
): unknown[] {
  const out: unknown[] = [];
  list(c.peek('spec.strategy.canary.steps')).forEach((step, i) => {
    const converted = convertStep(c, ctx, origin, ns, interval, step, i, out.length);
    if (converted !== undefined) out.push(converted);
  });
  return out;
}

function convertStep(
  c: Conversion,
  ctx: CompatContext,
  origin: OriginMap,
  ns: string,
  interval: () => string | undefined,
  step: unknown,
  i: number,
  n: number,
): unknown {
  {
    const at = `spec.strategy.canary.steps.${i}`;
    const target = `spec.strategy.canary.steps.${n}`;
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
    if (kind === 'setCanaryScale') {
      // Argo's three forms map one to one; Sluice checks that exactly one is set.
      const scale: Record<string, unknown> = {};
      for (const f of ['replicas', 'weight', 'matchTrafficWeight']) {
        const v = c.move(origin, `${target}.setCanaryScale.${f}`, `${at}.setCanaryScale.${f}`);
        if (v !== undefined && !(f === 'matchTrafficWeight' && v === false)) scale[f] = v;
      }
      return { setCanaryScale: scale };
    }
    if (kind === 'experiment')
      c.error(
        `${at}.experiment`,
        'experiment steps are not converted: Sluice runs no side-by-side baseline and canary ReplicaSets',
        'replace the step with an analysis step over the canary (its analyses become metrics) or remove it',
      );
    else
      c.error(
        `${at}.${kind}`,
        `the ${kind} step has no Sluice equivalent`,
        'Sluice steps are setWeight, pause and analysis',
      );
    return {};
  }
}

/** The Deployment the Rollout targets: made from an inline template, or named by workloadRef. */
function workload(c: Conversion, origin: OriginMap): unknown {
  if (c.peek('spec.template') !== undefined) {
    if (c.peek('spec.workloadRef') !== undefined)
      c.error('spec.workloadRef', 'a Rollout sets either template or workloadRef', 'remove one of them');
    for (const f of carriedSpecFields) c.take(`spec.${f}`);
    const deployment = argoRolloutDeployment(c.doc.value as Record<string, unknown>);
    if (deployment) c.emitManifest(deployment);
    return c.move(origin, 'spec.targetRef.name', 'metadata.name');
  }
  const kind = str(c.take('spec.workloadRef.kind'));
  if (kind !== undefined && kind !== 'Deployment')
    c.error('spec.workloadRef.kind', `Sluice rolls out Deployments only, not ${kind}`);
  c.take('spec.workloadRef.apiVersion');
  c.drop(
    'spec.workloadRef.scaleDown',
    'Sluice scales the Deployment to zero once its -primary copy serves, as Flagger does',
  );
  c.ignore('spec.selector'); // it must match the Deployment's, which Sluice reads from the Deployment
  for (const f of ['replicas', 'revisionHistoryLimit', 'minReadySeconds'])
    c.drop(`spec.${f}`, 'the Deployment decides this');
  return c.move(origin, 'spec.targetRef.name', 'spec.workloadRef.name');
}

/** Warns about the Services the strategy names: Sluice routes through Services it generates. */
function namedServices(c: Conversion, ctx: CompatContext, ns: string, fields: string[], name: string): void {
  for (const field of fields) {
    const svc = str(c.take(field));
    if (svc === undefined) continue;
    const generated = [name, `${name}-canary`, `${name}-primary`];
    // Only a Service among the files converted had its port read (argo-service.ts); say so only then.
    const read = findObject(ctx, '', 'Service', ns, svc) ? ' (its port was read)' : '';
    c.warn(
      field,
      generated.includes(svc)
        ? `Sluice generates Service "${svc}" itself; remove the Service of that name from your manifests${read}`
        : `Sluice routes through the Services it generates (${generated.join(', ')}); Service "${svc}" stays as your manifests declare it${read}`,
    );
  }
}

/** Converts an Argo Rollouts Rollout into a Sluice Rollout (and a Deployment for an inline template). */
export function convertArgoRollout(c: Conversion, ctx: CompatContext): void {
  const origin = new OriginMap();
  const ns = str(c.peek('metadata.namespace')) ?? defaultNamespace;
  const name = String(c.peek('metadata.name'));
  const metadata = c.metadata(origin);
  const port = servicePort(c, ctx, origin, ns);
  const targetName = workload(c, origin);
  for (const f of ['paused', 'restartAt', 'rollbackWindow', 'progressDeadlineAbort'])
    c.drop(`spec.${f}`, 'Sluice decides this: pause, resume and roll back with `sluice rollout`');
  c.drop('spec.analysis', 'Sluice keeps every analysis run in the workflow history');
  const canary = 'spec.strategy.canary';
  namedServices(c, ctx, ns, [`${canary}.canaryService`, `${canary}.stableService`], name);
  for (const f of [
    'maxSurge',
    'maxUnavailable',
    'scaleDownDelaySeconds',
    'abortScaleDownDelaySeconds',
    'dynamicStableScale',
    'canaryMetadata',
    'stableMetadata',
    'antiAffinity',
    'minPodsPerReplicaSet',
    'pingPong',
  ])
    c.drop(`${canary}.${f}`, 'Sluice generates and scales the -canary and -primary workloads itself');
  const background =
    c.peek(`${canary}.analysis`) !== undefined
      ? analysisMetrics(c, ctx, `${canary}.analysis`, ns)
      : undefined;
  for (const [j, m] of (background?.metrics ?? []).entries())
    origin.set(p(`spec.analysis.metrics.${j}`), p(m.from));
  c.drop(`${canary}.analysis.startingStep`, "Sluice's background analysis runs from the first step");
  c.drop(`${canary}.analysis.analysisRunMetadata`, 'Sluice keeps analysis runs in the workflow history');
  c.drop(`${canary}.analysis.dryRun`, 'Sluice has no dry-run metrics; remove the metric instead');
  const interval = () => background?.interval;
  const strategy: Record<string, unknown> = {};
  let routing: ReturnType<typeof trafficRouting> | undefined;
  let pre: ReturnType<typeof analysisMetrics> | undefined;
  if (c.peek(canary) !== undefined) {
    routing = trafficRouting(c, ctx, origin, ns, canary);
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
    namedServices(c, ctx, ns, [`${bg}.activeService`, `${bg}.previewService`], name);
    c.drop(`${bg}.previewReplicaCount`, "Sluice runs the new version at the Deployment's replica count");
    c.drop(
      `${bg}.autoPromotionSeconds`,
      'Sluice promotes once the analysis passes; add a confirm-promotion webhook to hold it longer',
    );
    for (const f of [
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
    const blueGreen: Record<string, unknown> = { iterations: pre?.count ?? 1 };
    strategy.blueGreen = blueGreen;
    // Argo analyses after the active Service switched, the old ReplicaSet still up: Sluice's post-switch phase.
    const postAt = `${bg}.postPromotionAnalysis`;
    if (c.peek(postAt) !== undefined) {
      const post = analysisMetrics(c, ctx, postAt, ns);
      const target = 'spec.strategy.blueGreen.postSwitchAnalysis';
      origin.set(p(target), p(postAt));
      for (const [j, m] of post.metrics.entries()) origin.set(p(`${target}.metrics.${j}`), p(m.from));
      if (post.metrics.length > 0)
        blueGreen.postSwitchAnalysis = {
          iterations: post.count ?? 1,
          metrics: post.metrics.map((m) => m.value),
        };
    }
  }
  if (routing === null) {
    // Without its routing the Rollout would shift no traffic: refused, with the routing errors saying why.
    c.reportUnread();
    return;
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
        targetRef: { name: targetName },
        service: { ...port, hosts: routing?.hosts, gateways: routing?.gateways },
        // No trafficRouting: the provider the administrator set as default (Argo would shift replica counts).
        provider: routing?.provider,
        ingressRef: routing?.ingressRef,
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
