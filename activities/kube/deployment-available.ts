import { heartbeat, sleep } from '@temporalio/activity';
import type { KubeClients } from './client.js';

/** Rollout state of a Deployment as the wait reports it. */
export interface DeploymentProgress {
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  available: boolean;
  observed: boolean;
}

/** Reads a Deployment's rollout state: Available, observed at its generation, every replica updated and ready. */
export async function deploymentProgress(
  clients: KubeClients,
  namespace: string,
  name: string,
): Promise<DeploymentProgress> {
  const d = await clients.apps.readNamespacedDeployment({ namespace, name });
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const availableCond = s.conditions?.find((c) => c.type === 'Available')?.status === 'True';
  const observed = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  const progress = {
    replicas: want,
    updatedReplicas: s.updatedReplicas ?? 0,
    readyReplicas: s.readyReplicas ?? 0,
    availableReplicas: s.availableReplicas ?? 0,
    observed,
    available: false,
  };
  progress.available =
    availableCond &&
    observed &&
    progress.updatedReplicas === want &&
    progress.readyReplicas === want &&
    progress.availableReplicas === want;
  return progress;
}

/**
 * Polls a Deployment until it is Available with every replica ready, heartbeating its progress so
 * the Temporal UI shows it and a dead worker is noticed by the heartbeat timeout. Ends only by
 * success or by the activity's timeout / cancellation, which Temporal delivers through sleep().
 */
export async function waitDeploymentAvailable(
  clients: KubeClients,
  namespace: string,
  name: string,
  pollMs = 1000,
): Promise<DeploymentProgress> {
  for (;;) {
    const progress = await deploymentProgress(clients, namespace, name);
    heartbeat(progress);
    if (progress.available) return progress;
    await sleep(pollMs);
  }
}
