// Pure: which task queue serves a destination cluster. Each cluster other than the worker's own has
// its queue, served by a worker that holds that cluster's credentials — inside the cluster, pulling
// work from Temporal, so no central place needs them.

/** The cluster name meaning "the cluster the worker runs in / its kubeconfig". */
export const IN_CLUSTER = 'in-cluster';

/** Task queue for a destination cluster's activities; undefined for the workflow's own queue. */
export function clusterTaskQueue(cluster: string | undefined): string | undefined {
  return !cluster || cluster === IN_CLUSTER ? undefined : `sluice-cluster-${cluster}`;
}
