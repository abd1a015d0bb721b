import { defaultKubeLimits, type KubeLimits } from './kube-limits.js';
import { PooledKubeConfig } from './pooled-kube-config.js';

// One per kubeconfig file and context in this process, so every client for a cluster shares its pool and limits.
const configs = new Map<string, PooledKubeConfig>();

/**
 * The process's kubeconfig for a cluster (a kubeconfig file and context; default locations and in-cluster when no
 * path): built once, shared by every Kubernetes client Sluice makes for that cluster. Limits, when given (the rest
 * defaulted), replace the cluster's current ones.
 */
export function clusterKubeConfig(
  kubeconfigPath?: string,
  context?: string,
  limits?: Partial<KubeLimits>,
): PooledKubeConfig {
  const id = `${kubeconfigPath ?? '(default)'}\0${context ?? ''}`;
  let kc = configs.get(id);
  if (!kc) {
    kc = new PooledKubeConfig();
    if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
    else kc.loadFromDefault();
    if (context) kc.setCurrentContext(context);
    configs.set(id, kc);
  }
  if (limits) kc.setLimits({ ...defaultKubeLimits, ...limits });
  return kc;
}
