import { AppsV1Api, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';

/** Kubernetes API clients for one cluster, built once per worker and shared by activities. */
export interface KubeClients {
  objects: KubernetesObjectApi;
  apps: AppsV1Api;
}

/** Builds clients from a kubeconfig file path, or from the default locations when none is given. */
export function kubeClients(kubeconfigPath?: string): KubeClients {
  const kc = new KubeConfig();
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
  else kc.loadFromDefault();
  return { objects: KubernetesObjectApi.makeApiClient(kc), apps: kc.makeApiClient(AppsV1Api) };
}
