import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';

/** Loads a client for the local cluster from its kubeconfig file. */
function coreApi(kubeconfigPath: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc.makeApiClient(CoreV1Api);
}

/** A Node object that kwok takes over (by its annotation) and keeps Ready as if a kubelet ran it. */
export function kwokNode(name: string): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'kubernetes.io/role': 'agent',
        type: 'kwok',
      },
    },
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'fake',
        kubeProxyVersion: 'fake',
        bootID: '',
        containerRuntimeVersion: '',
        kernelVersion: '',
        machineID: '',
        osImage: '',
        systemUUID: '',
      },
      phase: 'Running',
    },
  };
}

/** Creates the simulated nodes kwok-node-0..count-1 that do not exist yet. */
export async function ensureKwokNodes(kubeconfigPath: string, count: number): Promise<void> {
  const api = coreApi(kubeconfigPath);
  const existing = new Set((await api.listNode()).items.map((n) => n.metadata?.name));
  for (let i = 0; i < count; i++) {
    const name = `kwok-node-${i}`;
    if (!existing.has(name)) await api.createNode({ body: kwokNode(name) });
  }
}

/** Counts nodes whose Ready condition is True. */
export async function readyNodeCount(kubeconfigPath: string): Promise<number> {
  const nodes = await coreApi(kubeconfigPath).listNode();
  return nodes.items.filter((n) =>
    n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
}
