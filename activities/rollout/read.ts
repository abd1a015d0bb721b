import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.js';

const isNotFound = (err: unknown): boolean =>
  (err as { code?: number }).code === 404 || /\b404\b|not found/i.test(String((err as Error).message));

/** Reads an object, or undefined when it does not exist. */
export async function readOptional<T extends KubernetesObject>(
  kube: KubeClients,
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<T | undefined> {
  try {
    return (await kube.objects.read({ apiVersion, kind, metadata: { namespace, name } })) as T;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Reads a Deployment, or undefined when it does not exist. */
export const readDeployment = (kube: KubeClients, namespace: string, name: string) =>
  readOptional<V1Deployment>(kube, 'apps/v1', 'Deployment', namespace, name);
