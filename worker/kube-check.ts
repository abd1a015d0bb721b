// A worker must know which cluster it deploys to. @kubernetes/client-node's loadFromDefault falls back to
// http://localhost:8080 when it finds no kubeconfig and no service account; the worker would then start and
// fail every sync. So the worker finds its config the same way, refuses to start without one or when the API
// does not answer, and names the cluster in its start log.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { VersionApi } from '@kubernetes/client-node';
import { clusterKubeConfig } from '../activities/kube/cluster-config.js';

/** Where loadFromDefault finds a service account token inside a pod. */
const serviceAccountToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The cluster a worker talks to: where its config came from, the API server URL, the context, the version. */
export interface KubeTarget {
  source: string;
  server: string;
  context: string;
  version: string;
}

/** The worker could not find or reach its Kubernetes API; the message says what was tried and what to do. */
export class KubeUnreachableError extends Error {
  override name = 'KubeUnreachableError';
}

const whatToDo =
  'set `kubeconfig` in the worker config (or KUBECONFIG), or run the worker in a pod with a service account';

/** Where the config comes from, in loadFromDefault's order; undefined when it would fall back to localhost:8080. */
export function kubeconfigSource(
  kubeconfigPath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  if (kubeconfigPath) return `kubeconfig ${kubeconfigPath}`;
  const fromEnv = env.KUBECONFIG?.split(delimiter).filter(Boolean);
  if (fromEnv?.length) return `KUBECONFIG=${fromEnv.join(delimiter)}`;
  const home = join(homedir(), '.kube', 'config');
  if (exists(home)) return `kubeconfig ${home}`;
  if (exists(serviceAccountToken)) return 'in-cluster service account';
  return undefined;
}

/**
 * Finds the worker's kubeconfig as its Kubernetes clients will and asks the API server for its version
 * (within timeoutMs); throws KubeUnreachableError naming the config tried and what to do.
 */
export async function checkKubernetesApi(
  kubeconfigPath: string | undefined,
  timeoutMs = 10_000,
): Promise<KubeTarget> {
  const source = kubeconfigSource(kubeconfigPath);
  if (!source)
    throw new KubeUnreachableError(
      `no Kubernetes configuration found: no \`kubeconfig\` in the worker config, KUBECONFIG unset, no ${join(homedir(), '.kube', 'config')}, and not in a pod (${serviceAccountToken} missing): ${whatToDo}`,
    );
  let kc: ReturnType<typeof clusterKubeConfig>;
  try {
    kc = clusterKubeConfig(kubeconfigPath);
  } catch (err) {
    throw new KubeUnreachableError(`cannot load the ${source}: ${(err as Error).message}`);
  }
  const server = kc.getCurrentCluster()?.server ?? '(no cluster in the current context)';
  const context = kc.getCurrentContext();
  let timer: NodeJS.Timeout | undefined;
  try {
    const version = await Promise.race([
      kc.makeApiClient(VersionApi).getCode(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs);
      }),
    ]);
    return { source, server, context, version: version.gitVersion };
  } catch (err) {
    throw new KubeUnreachableError(
      `the Kubernetes API at ${server} (context "${context}", from the ${source}) does not answer: ${(err as Error).message}; check that the cluster is up and the kubeconfig points at it, or ${whatToDo}`,
    );
  } finally {
    clearTimeout(timer);
  }
}
