// Argo Rollouts Rollout objects in rendered manifests. Sluice reads a Rollout file as its own Rollout
// (schemas/loader/compat), so a sync applies the Deployment an inline template stands for in its place,
// and nothing for a Rollout with workloadRef (its Deployment is in the manifests already): applying the
// Rollout itself would need Argo's CRD and would let two controllers drive one release.
import type { KubernetesObject } from '@kubernetes/client-node';
import { argoRolloutDeployment, isArgoRollout } from '../../core/compat/argo-rollout-workload.js';

/** The rendered objects with each Argo Rollout replaced by its Deployment (or left out). */
export function replaceArgoRollouts(objects: KubernetesObject[]): KubernetesObject[] {
  return objects.flatMap((o) => {
    if (!isArgoRollout(o)) return [o];
    const deployment = argoRolloutDeployment(o as Record<string, unknown>);
    return deployment ? [deployment as KubernetesObject] : [];
  });
}
