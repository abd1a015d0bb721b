import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { createWorker } from '../../worker/create-worker.js';
import { type SmokeDeployResult, smokeDeployWorkflow } from '../../workflows/smoke/workflow.js';
import type { StackConfig } from './config.js';
import { stackContext } from './context.js';
import { temporalEndpoints } from './temporal.js';

/** The smoke Deployment: `replicas` pods of a pause image, scheduled onto kwok's simulated nodes. */
export function smokeObjects(namespace: string, name: string, replicas: number): KubernetesObject[] {
  const labels = { app: name, 'app.kubernetes.io/managed-by': 'sluice' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
        },
      },
    } as KubernetesObject,
  ];
}

/** Outcome of one smoke run: the workflow's id, its Temporal UI link, and its result or failure. */
export interface SmokeRun {
  workflowId: string;
  uiLink: string;
  result?: SmokeDeployResult;
  error?: Error;
}

/**
 * Runs the smoke workflow end to end on the local stack: an in-process worker on a fresh task queue,
 * a Deployment server-side applied through it, and a heartbeating wait until it is Available.
 */
export async function runSmoke(
  config: StackConfig,
  opts: { name: string; namespace?: string; replicas?: number; availableTimeout?: string; runId: string },
): Promise<SmokeRun> {
  const ctx = stackContext(config, () => {});
  const { address, ui } = temporalEndpoints(ctx);
  const namespace = opts.namespace ?? 'sluice-smoke';
  const taskQueue = `smoke-${opts.runId}`;
  const workflowId = `smoke/${opts.name}/${opts.runId}`;
  const uiLink = `${ui}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  try {
    const worker = await createWorker({
      connection: nativeConnection,
      taskQueue,
      activities: createActivities(
        buildActivityDeps({
          kubeconfigPath: ctx.paths.kubeconfig,
          cacheDir: join(config.dataDir, 'worker-cache'),
        }),
      ),
    });
    const client = new Client({ connection });
    const run = await worker.runUntil(async () => {
      try {
        const result = await client.workflow.execute(smokeDeployWorkflow, {
          taskQueue,
          workflowId,
          args: [
            {
              objects: smokeObjects(namespace, opts.name, opts.replicas ?? 3),
              deployment: { namespace, name: opts.name },
              availableTimeout: opts.availableTimeout ?? '2 minutes',
            },
          ],
        });
        return { result };
      } catch (err) {
        if (err instanceof WorkflowFailedError) return { error: err as Error };
        throw err;
      }
    });
    return { workflowId, uiLink, ...run };
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}
