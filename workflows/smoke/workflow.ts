import type { KubernetesObject } from '@kubernetes/client-node';
import { log } from '@temporalio/workflow';
import { activities, smokeApply, smokeWait } from '../activity-options.js';

/** Input of the stack smoke workflow: objects to apply and the Deployment among them to wait for. */
export interface SmokeDeployInput {
  objects: KubernetesObject[];
  deployment: { namespace: string; name: string };
  /** How long the Deployment may take to become Available, e.g. "2 minutes". */
  availableTimeout: string;
}

/** Result of the smoke workflow: the replica counts the cluster reported. */
export interface SmokeDeployResult {
  applied: number;
  readyReplicas: number;
  availableReplicas: number;
}

const api = activities(smokeApply);

/**
 * Proves the whole stack: a Temporal workflow whose activities server-side apply a Deployment and
 * wait until the controller-manager and kwok have made it Available.
 */
export async function smokeDeployWorkflow(input: SmokeDeployInput): Promise<SmokeDeployResult> {
  const wait = activities(smokeWait(input.availableTimeout));
  const applied = await api.applyManifests(input.objects);
  log.info('applied', { count: applied.length });
  const progress = await wait.waitDeploymentAvailable(input.deployment);
  return {
    applied: applied.length,
    readyReplicas: progress.readyReplicas,
    availableReplicas: progress.availableReplicas,
  };
}
