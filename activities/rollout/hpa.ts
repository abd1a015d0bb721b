import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.js';
import { primaryName, ROLLOUT_LABEL } from './names.js';

interface Hpa extends KubernetesObject {
  spec?: { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string } } & Record<string, unknown>;
}

/** `<hpa>-primary` copies of the HorizontalPodAutoscalers that scale the target, pointed at the primary. */
export async function primaryHpaCopies(
  kube: KubeClients,
  rollout: string,
  namespace: string,
  target: string,
): Promise<KubernetesObject[]> {
  const list = await kube.objects.list<Hpa>('autoscaling/v2', 'HorizontalPodAutoscaler', namespace);
  return list.items
    .filter((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === target)
    .map((h) => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: primaryName(h.metadata?.name as string),
        namespace,
        labels: { [ROLLOUT_LABEL]: rollout },
      },
      spec: {
        ...h.spec,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: primaryName(target) },
      },
    }));
}
