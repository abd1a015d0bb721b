import {
  ApiextensionsV1Api,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  VersionApi,
} from '@kubernetes/client-node';
import { loadStackConfig } from '../../../scripts/stack/config.js';
import { stackPaths } from '../../../scripts/stack/paths.js';

/** Typed clients for the stack's cluster, for tests to look at (and disturb) live state. */
export function testKube() {
  const kc = new KubeConfig();
  kc.loadFromFile(stackPaths(loadStackConfig()).kubeconfig);
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    extensions: kc.makeApiClient(ApiextensionsV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    version: kc.makeApiClient(VersionApi),
  };
}

/** Resolves to undefined when the read 404s. */
export async function orMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

/** The image of a Deployment's first container; undefined when there is no such Deployment. */
export async function deploymentImage(
  kube: ReturnType<typeof testKube>,
  namespace: string,
  name: string,
): Promise<string | undefined> {
  const deployment = await orMissing(kube.apps.readNamespacedDeployment({ namespace, name }));
  return deployment?.spec?.template.spec?.containers[0]?.image;
}
