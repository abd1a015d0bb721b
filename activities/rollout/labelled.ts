// Finding the objects the rollout machinery made for a Rollout: they all carry sluice.dev/rollout=<name>.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ObjectApi } from '../kube/object-api.js';
import { ROLLOUT_LABEL } from './names.js';

/** Objects of one kind in a namespace labelled as made for this Rollout. */
export async function listRolloutObjects(
  api: ObjectApi,
  apiVersion: string,
  kind: string,
  namespace: string,
  rollout: string,
): Promise<KubernetesObject[]> {
  const list = await api.list(
    apiVersion,
    kind,
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    `${ROLLOUT_LABEL}=${rollout}`,
  );
  return list.items as KubernetesObject[];
}
