import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ObjectApi } from './object-api.js';

/** Kubernetes API clients for one cluster, built once per worker and shared by activities. */
export interface KubeClients {
  objects: ObjectApi;
  apps: AppsV1Api;
  core: CoreV1Api;
}

/** Builds clients from a kubeconfig file path (and context), or from the default locations (in-cluster too). */
export function kubeClients(
  kubeconfigPath?: string,
  context?: string,
  limits?: { qps: number; burst: number },
): KubeClients {
  const kc = new KubeConfig();
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
  else kc.loadFromDefault();
  if (context) kc.setCurrentContext(context);
  return {
    objects: ObjectApi.fromConfig(kc, limits),
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
  };
}
