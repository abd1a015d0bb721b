// The order Argo CD applies the kinds of one wave in (gitops-engine's pkg/sync/sync_tasks.go), then by name:
// what a ServiceAccount, Secret or ConfigMap is for is applied after it. Kinds not listed (custom resources) go last.
import type { KubernetesObject } from '@kubernetes/client-node';

const KINDS = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];
const RANK = new Map(KINDS.map((k, i) => [k, i]));

/** A kind's place in Argo CD's apply order (unlisted kinds after every listed one). */
export function kindRank(kind: string | undefined): number {
  return RANK.get(kind ?? '') ?? KINDS.length;
}

/** The objects grouped by kind rank, each group sorted by name, groups in Argo CD's order. */
export function inKindOrder<T extends KubernetesObject>(objects: T[]): T[][] {
  const groups = new Map<number, T[]>();
  for (const o of objects) {
    const rank = kindRank(o.kind);
    groups.set(rank, [...(groups.get(rank) ?? []), o]);
  }
  const name = (o: T) => o.metadata?.name ?? '';
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, group]) => group.sort((x, y) => (name(x) < name(y) ? -1 : name(x) > name(y) ? 1 : 0)));
}
