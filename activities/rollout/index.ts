import {
  type KubernetesObject,
  PatchStrategy,
  type V1Deployment,
  type V1PodSpec,
} from '@kubernetes/client-node';
import { Context, heartbeat, sleep } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { deploymentHealth } from '../../core/health/health-deployment.js';
import { type AppIdentity as Owner, trackingId } from '../../core/identity.js';
import type { RequestMatch, RouteSpec, Routes, RouteTarget } from '../../core/traffic/routes.js';
import { createTrafficProvider } from '../../plugins/traffic/factory.js';
import { whileBeating } from '../keep-alive.js';
import type { KubeClients } from '../kube/client.js';
import { TRACKING_ANNOTATION } from '../sync/annotations.js';
import { checkDestination } from '../sync/project-policy.js';
import type { ProjectRegistry } from '../trust/projects.js';
import { revisionChecksum } from './checksum.js';
import { primaryConfigCopies, readReferencedConfig } from './config-copies.js';
import { RolloutConfigError } from './errors.js';
import { primaryHpaCopies } from './hpa.js';
import { CHECKSUM_ANNOTATION, canaryName, primaryName, ROLLOUT_FIELD_MANAGER } from './names.js';
import { primaryDeployment } from './primary.js';
import { readDeployment } from './read.js';
import { deleteRolloutObjects, type RemovalResult } from './remove.js';
import { handBackToTarget, type RevertPlan, unparkTarget } from './revert.js';
import { selectorLabel } from './selector-label.js';
import { rolloutServices } from './services.js';
import type { ReadyResult, RolloutInspection, RolloutTarget } from './types.js';

export type { ReadyResult, RolloutInspection, RolloutTarget } from './types.js';

/** The provider's view of a rollout's routing. */
export function routeTarget(t: RolloutTarget): RouteTarget {
  return {
    namespace: t.namespace,
    service: t.service.name,
    primaryService: primaryName(t.service.name),
    canaryService: canaryName(t.service.name),
    port: t.service.port,
    portName: t.service.portName,
    hosts: t.service.hosts?.length ? t.service.hosts : [t.service.name],
    gateways: t.service.gateways ?? [],
    ...(t.service.timeout ? { timeout: t.service.timeout } : {}),
    ...(t.ingress ? { ingress: t.ingress } : {}),
    rollout: t.rollout,
    ...(t.service.istio ? { istio: t.service.istio } : {}),
    ...(t.service.gatewayRefs ? { gatewayRefs: t.service.gatewayRefs } : {}),
    ...(t.service.apex ? { metadata: t.service.apex } : {}),
    ...(t.service.sessionAffinity ? { sessionAffinity: t.service.sessionAffinity } : {}),
  };
}

/** Activities of the rollout engine: the primary/canary object model, scaling, readiness and traffic. */
export function rolloutActivities(deps: { kube: KubeClients; projects?: ProjectRegistry }) {
  const kube = deps.kube;
  const apply = (obj: KubernetesObject) =>
    kube.objects.patch(obj, undefined, undefined, ROLLOUT_FIELD_MANAGER, true, PatchStrategy.ServerSideApply);

  const mustReadTarget = async (t: RolloutTarget): Promise<V1Deployment> => {
    const target = await readDeployment(kube, t.namespace, t.target);
    if (!target) {
      throw new RolloutConfigError(
        `Rollout ${t.rollout}: targetRef Deployment ${t.namespace}/${t.target} does not exist (is it in the Application's manifests?)`,
      );
    }
    return target;
  };

  /** Copies the target's current version to the primary (config copies, HPA, Deployment); answers its checksum. */
  const syncPrimary = async (t: RolloutTarget): Promise<{ checksum: string }> => {
    const target = await mustReadTarget(t);
    const config = await readReferencedConfig(kube, t.namespace, target.spec?.template.spec as V1PodSpec);
    const checksum = revisionChecksum(target.spec?.template ?? {}, config.data);
    const primary = await readDeployment(kube, t.namespace, primaryName(t.target));
    // The primary keeps its scale (an HPA may have set it); a new one starts at the target's.
    const replicas = primary?.spec?.replicas ?? Math.max(target.spec?.replicas ?? 1, 1);
    for (const copy of primaryConfigCopies(t.rollout, config)) await apply(copy);
    await apply(
      primaryDeployment(target, { rollout: t.rollout, replicas, checksum, copied: config.present }),
    );
    for (const hpa of await primaryHpaCopies(kube, t.rollout, t.namespace, t.target)) await apply(hpa);
    return { checksum };
  };

  return {
    /**
     * Throws unless the rollout stays inside its Application: its namespace is a destination of the
     * Application's Project and its target Deployment is one of the Application's own objects (so a
     * Rollout cannot scale, copy or re-route another team's workload).
     */
    async checkRolloutScope(input: { target: RolloutTarget; owner: Owner; cluster: string }): Promise<void> {
      const { target: t, owner } = input;
      if (!deps.projects) throw new Error('checkRolloutScope needs the Project registry (deps.projects)');
      const policy = await deps.projects.policyFor(owner);
      checkDestination(policy, { name: owner.app, cluster: input.cluster, namespace: t.namespace });
      const target = await mustReadTarget(t);
      const tracked = target.metadata?.annotations?.[TRACKING_ANNOTATION];
      if (tracked !== trackingId(owner))
        throw new RolloutConfigError(
          `Rollout ${t.rollout}: targetRef Deployment ${t.namespace}/${t.target} is ${tracked ? `tracked by application ${tracked}` : 'not created by Sluice'}, not by ${trackingId(owner)}: a Rollout only takes over its own Application's workload`,
        );
    },

    /** Reads the target and the primary: is there a primary yet, and does the target carry a new revision? */
    async inspectRollout(t: RolloutTarget): Promise<RolloutInspection> {
      const target = await mustReadTarget(t);
      selectorLabel(target);
      const config = await readReferencedConfig(kube, t.namespace, target.spec?.template.spec as V1PodSpec);
      const primary = await readDeployment(kube, t.namespace, primaryName(t.target));
      return {
        targetChecksum: revisionChecksum(target.spec?.template ?? {}, config.data),
        primaryChecksum: primary?.metadata?.annotations?.[CHECKSUM_ANNOTATION],
        primaryExists: primary !== undefined,
        primaryReplicas: primary?.spec?.replicas ?? Math.max(target.spec?.replicas ?? 1, 1),
        targetReplicas: target.spec?.replicas ?? 1,
      };
    },

    /** Creates or updates the apex, -primary and -canary Services. */
    async ensureRolloutServices(t: RolloutTarget): Promise<void> {
      const selector = selectorLabel(await mustReadTarget(t));
      for (const svc of rolloutServices(t, selector)) await apply(svc);
    },

    /** Copies the target's pod template (and its config) to `<target>-primary`: initialisation and promotion. */
    async promoteToPrimary(t: RolloutTarget): Promise<{ checksum: string }> {
      return syncPrimary(t);
    },

    /** Sets a Deployment's replicas (idempotent); the rollout owns the target's scale between rollouts. */
    async scaleDeployment(input: { namespace: string; name: string; replicas: number }): Promise<void> {
      await apply({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { namespace: input.namespace, name: input.name },
        spec: { replicas: input.replicas },
      } as KubernetesObject);
    },

    /**
     * Waits, heartbeating, until a Deployment is Healthy, or answers not ready once `deadlineAt`
     * (epoch ms, fixed by the workflow so a retried wait keeps the same deadline) has passed.
     */
    async waitDeploymentReady(input: {
      namespace: string;
      name: string;
      deadlineAt: number;
      pollMs?: number;
    }): Promise<ReadyResult> {
      for (;;) {
        const d = await readDeployment(kube, input.namespace, input.name);
        const health = d
          ? deploymentHealth(d as unknown as Record<string, unknown>)
          : { status: 'Missing', message: `Deployment ${input.namespace}/${input.name} does not exist` };
        heartbeat(health);
        if (health.status === 'Healthy') return { ready: true, message: health.message ?? 'Healthy' };
        if (Date.now() >= input.deadlineAt) {
          return {
            ready: false,
            message: `${input.namespace}/${input.name} not ready by the progress deadline: ${health.message}`,
          };
        }
        await sleep(input.pollMs ?? 1000);
      }
    },

    /** Creates or updates the provider's routing objects (all traffic on the primary when new). */
    async reconcileTraffic(input: { target: RolloutTarget; match?: RequestMatch[] }): Promise<void> {
      await createTrafficProvider(input.target.provider, deps).reconcile(
        routeTarget(input.target),
        input.match,
      );
    },

    /** Sets the routing absolutely through the provider; answers what the cluster then holds. */
    async setTrafficRoutes(input: { target: RolloutTarget; routes: RouteSpec }): Promise<Routes> {
      const provider = createTrafficProvider(input.target.provider, deps);
      await provider.setRoutes(routeTarget(input.target), input.routes);
      return provider.getRoutes(routeTarget(input.target));
    },

    /** Reads the routing as the cluster holds it. */
    async getTrafficRoutes(t: RolloutTarget): Promise<Routes> {
      return createTrafficProvider(t.provider, deps).getRoutes(routeTarget(t));
    },

    /** Deletes the objects the rollout machinery and its provider made for a Rollout (its Application is gone). */
    async deleteRolloutObjects(input: { target: RolloutTarget; owner: Owner }): Promise<RemovalResult> {
      const provider = createTrafficProvider(input.target.provider, deps);
      return whileBeating({ deleting: input.target.target }, () =>
        deleteRolloutObjects(kube.objects, provider, input.target, input.owner),
      );
    },

    /** Scales a parked target back up to the primary's replicas: the first step of handing it back. */
    async unparkTarget(t: RolloutTarget): Promise<RevertPlan> {
      return unparkTarget(kube, t, apply);
    },

    /** Routes everything to the (ready) target through the same Services and deletes the primary and its copies. */
    async handBackToTarget(t: RolloutTarget): Promise<{ deleted: string[] }> {
      return handBackToTarget(kube, createTrafficProvider(t.provider, deps), routeTarget(t), t, apply);
    },

    /** Terminates a rollout workflow whose Application is being removed (a finished one is fine). */
    async terminateRollout(input: { workflowId: string; reason: string }): Promise<void> {
      const handle = Context.current().client.workflow.getHandle(input.workflowId);
      try {
        const d = await handle.describe();
        if (d.status.name === 'RUNNING') await handle.terminate(input.reason);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },
  };
}
