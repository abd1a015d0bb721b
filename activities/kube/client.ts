import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { ClusterCapabilities } from '../../plugins/renderers/capabilities.js';
import type { LiveView } from '../sync/live-view.js';
import { CAPABILITIES_TTL_MS, cachedFor, discoverCapabilities } from './capabilities.js';
import { clusterKubeConfig } from './cluster-config.js';
import type { KubeLimits } from './kube-limits.js';
import { ObjectApi } from './object-api.js';

/** Kubernetes API clients for one cluster, built once per worker and shared by activities. */
export interface KubeClients {
  objects: ObjectApi;
  apps: AppsV1Api;
  core: CoreV1Api;
  /** The cluster's live-state cache (list + watch of what Sluice tracks), when this process serves the cluster. */
  live?: LiveView;
  /** The cluster's version and served API versions for helm, from discovery, kept for a minute. */
  capabilities?: () => Promise<ClusterCapabilities>;
}

/**
 * Builds clients from a kubeconfig file path (and context), or from the default locations (in-cluster too); all of
 * them send on the cluster's one keep-alive pool, paced by its read and write limiters.
 */
export function kubeClients(
  kubeconfigPath?: string,
  context?: string,
  limits?: Partial<KubeLimits>,
): KubeClients {
  const kc = clusterKubeConfig(kubeconfigPath, context, limits);
  return {
    objects: ObjectApi.fromConfig(kc),
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
    capabilities: cachedFor(() => discoverCapabilities(kc), CAPABILITIES_TTL_MS),
  };
}
