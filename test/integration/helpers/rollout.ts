import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../../../activities/index.js';
import { rolloutActivities, routeTarget } from '../../../activities/rollout/index.js';
import type { RolloutTarget } from '../../../activities/rollout/types.js';
import type { Routes } from '../../../core/traffic/routes.js';
import { createTrafficProvider } from '../../../plugins/traffic/factory.js';
import type { RolloutSpec } from '../../../schemas/types.generated.js';
import type { RolloutInput } from '../../../workflows/rollout/messages.js';
import { type RolloutStatus, rolloutStatusQuery } from '../../../workflows/rollout/messages.js';
import { rolloutWorkflow } from '../../../workflows/rollout/workflow.js';
import { waitFor } from '../../helpers/wait-for.js';

/** The user's Deployment as a sync would apply it: selector `app: <name>`, `replicas` pods of `image`. */
export function targetDeployment(
  namespace: string,
  name: string,
  image: string,
  extra: {
    nodeSelector?: Record<string, string>;
    tolerations?: { key: string; value: string; effect: string }[];
    replicas?: number;
  } = {},
): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: extra.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'app', image, ports: [{ name: 'http', containerPort: 8080 }] }],
          ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}),
          ...(extra.tolerations ? { tolerations: extra.tolerations } : {}),
        },
      },
    },
  } as KubernetesObject;
}

/** Applies objects with the sync's field manager, as a sync of a new commit would. */
export async function applyAsSync(deps: ActivityDeps, ...objects: KubernetesObject[]): Promise<void> {
  for (const o of objects)
    await deps.kube.objects.patch(o, undefined, undefined, 'sluice', true, PatchStrategy.ServerSideApply);
}

/** Creates a namespace (idempotent). */
export async function ensureNamespace(deps: ActivityDeps, name: string): Promise<void> {
  await applyAsSync(deps, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** The names of a rollout of `name` in `namespace` through `provider`. */
export function rolloutTarget(
  namespace: string,
  name: string,
  provider: string,
  ingress?: string,
): RolloutTarget {
  return {
    rollout: name,
    namespace,
    target: name,
    service: { name, port: 80, portName: 'http', targetPort: 8080 },
    provider,
    ...(ingress ? { ingress } : {}),
  };
}

/** Reads the routes through the provider, as the metrics fixture does. */
export const routesOf = (deps: ActivityDeps, t: RolloutTarget) => (): Promise<Routes> =>
  createTrafficProvider(t.provider, { kube: deps.kube }).getRoutes(routeTarget(t));

/**
 * Starts the rollout workflow for the target's current revision as the application workflow would
 * (inspectRollout decides initialise vs roll out) and answers its handle.
 */
export async function startRollout(
  env: { client: Client; taskQueue: string; deps: ActivityDeps },
  t: RolloutTarget,
  spec: Omit<RolloutSpec, 'targetRef' | 'service'>,
  extra: Partial<RolloutInput> = {},
) {
  const seen = await rolloutActivities({ kube: env.deps.kube }).inspectRollout(t);
  const input: RolloutInput = {
    repoId: 'test',
    app: t.rollout,
    project: 'default',
    revision: '0123456789abcdef0123456789abcdef01234567',
    target: t,
    spec: { ...spec, targetRef: { name: t.target }, service: { port: 80 } } as RolloutSpec,
    checksum: seen.targetChecksum,
    replicas: seen.primaryReplicas,
    initialize: !seen.primaryExists,
    rolloutNamespace: 'default',
    metricTemplates: {},
    alertProviders: {},
    ...extra,
  };
  return env.client.workflow.start(rolloutWorkflow, {
    taskQueue: env.taskQueue,
    workflowId: `rollout/${t.namespace}/${t.rollout}/${seen.targetChecksum.slice(0, 8)}-${Date.now().toString(36)}`,
    args: [input],
  });
}

/** Polls a rollout's status until `done` holds for it. */
export async function waitForRollout(
  handle: { query: (q: typeof rolloutStatusQuery) => Promise<RolloutStatus> },
  what: string,
  done: (s: RolloutStatus) => boolean,
  timeoutMs = 120_000,
): Promise<RolloutStatus> {
  return waitFor(
    what,
    async () => {
      const s = await handle.query(rolloutStatusQuery);
      return done(s) ? s : undefined;
    },
    timeoutMs,
  );
}

/** Records every distinct canary weight the provider's object shows, polling until stopped. */
export function recordWeights(read: () => Promise<Routes>, everyMs = 200) {
  const seen: number[] = [];
  let stopped = false;
  const sample = async () => {
    const r = await read().catch(() => undefined);
    if (r && seen.at(-1) !== r.canaryWeight) seen.push(r.canaryWeight);
  };
  const loop = (async () => {
    while (!stopped) {
      await sample();
      await new Promise((res) => setTimeout(res, everyMs));
    }
  })();
  return {
    seen,
    /** Stops sampling after one last sample, so the state the rollout ended in is always recorded. */
    async stop() {
      stopped = true;
      await loop;
      await sample();
      return seen;
    },
  };
}
