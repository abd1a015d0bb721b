// Handing a workload back from the rollout machinery when its Application stops naming a Rollout (as
// Flagger's revertOnDeletion): the user's Deployment serves again, through the same Service names, so
// nothing keeps sending users to a primary frozen at an old revision.
import type { KubernetesObject } from '@kubernetes/client-node';
import { deleteObject } from '../../plugins/traffic/kube.js';
import type { TrafficProvider } from '../../plugins/traffic/types.js';
import type { KubeClients } from '../kube/client.js';
import { MissingKindError } from '../kube/object-api.js';
import { listRolloutObjects } from './labelled.js';
import { primaryName } from './names.js';
import { readDeployment } from './read.js';
import { selectorLabel } from './selector-label.js';
import { rolloutServices } from './services.js';
import type { RolloutTarget } from './types.js';

/** Kinds of the primary's own objects (its Deployment, config and HPA copies) that go once traffic has moved. */
const PRIMARY_KINDS = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
];

/** What reverting found: whether there was anything to revert, and the replicas the target must run. */
export interface RevertPlan {
  /** False when there is no primary (never initialised, or already reverted). */
  primaryExists: boolean;
  targetExists: boolean;
  /** The target's replicas after this step (scaled to the primary's when it was parked at zero). */
  targetReplicas: number;
}

/**
 * First step: scales the target back up when it is parked at zero (a sync sets Git's replicas, but a
 * Deployment without `replicas` in Git stays parked) to the primary's replica count.
 */
export async function unparkTarget(
  kube: KubeClients,
  t: RolloutTarget,
  apply: (obj: KubernetesObject) => Promise<unknown>,
): Promise<RevertPlan> {
  const target = await readDeployment(kube, t.namespace, t.target);
  const primary = await readDeployment(kube, t.namespace, primaryName(t.target));
  if (!target) return { primaryExists: primary !== undefined, targetExists: false, targetReplicas: 0 };
  let replicas = target.spec?.replicas ?? 1;
  if (primary && replicas === 0) {
    replicas = Math.max(primary.spec?.replicas ?? 1, 1);
    await apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { namespace: t.namespace, name: t.target },
      spec: { replicas },
    } as KubernetesObject);
  }
  return { primaryExists: primary !== undefined, targetExists: true, targetReplicas: replicas };
}

/**
 * Second step, once the target is ready: all routing on the primary Service, the apex and primary Services
 * re-pointed at the target's pods, then the primary Deployment and its copies deleted. The Services and the
 * provider's routing objects stay (clients and mesh routes keep their names); idempotent.
 */
export async function handBackToTarget(
  kube: KubeClients,
  provider: TrafficProvider,
  routeTarget: Parameters<TrafficProvider['finalize']>[0],
  t: RolloutTarget,
  apply: (obj: KubernetesObject) => Promise<unknown>,
): Promise<{ deleted: string[] }> {
  const target = await readDeployment(kube, t.namespace, t.target);
  if (!target) return { deleted: [] };
  const selector = selectorLabel(target);
  await provider.finalize(routeTarget).catch((err: unknown) => {
    if (!(err instanceof MissingKindError)) throw err;
  });
  // The apex and -primary Services select the target's own pods; -canary already does.
  for (const svc of rolloutServices(t, selector)) {
    const spec = svc.spec as { selector: Record<string, string> };
    spec.selector = { [selector.key]: selector.value };
    await apply(svc);
  }
  const deleted: string[] = [];
  for (const { apiVersion, kind } of PRIMARY_KINDS) {
    for (const item of await listRolloutObjects(kube.objects, apiVersion, kind, t.namespace, t.rollout)) {
      await deleteObject(kube.objects, apiVersion, kind, t.namespace, item.metadata?.name as string);
      deleted.push(`${kind} ${t.namespace}/${item.metadata?.name}`);
    }
  }
  return { deleted };
}
