import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * managedFields as kube-apiserver 1.34 wrote them for a Deployment applied by `sluice`, then scaled
 * by `hpa-controller`, given an env var by `kubectl set env` and updated by the controller manager.
 */
export const managedFields = [
  {
    manager: 'sluice',
    operation: 'Apply',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:annotations': { 'f:x': {} }, 'f:labels': { 'f:a': {} } },
      'f:spec': {
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    },
  },
  {
    manager: 'hpa-controller',
    operation: 'Update',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:spec': { 'f:replicas': {} } },
  },
  {
    manager: 'kubectl-set',
    operation: 'Update',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                'f:env': { '.': {}, 'k:{"name":"FOO"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
              },
            },
          },
        },
      },
    },
  },
  {
    manager: 'kube-controller-manager',
    operation: 'Update',
    subresource: 'status',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } },
      'f:status': { 'f:replicas': {}, 'f:conditions': { '.': {}, 'k:{"type":"Available"}': { '.': {} } } },
    },
  },
];

/** The live Deployment those managedFields describe. */
export function liveDeployment(): KubernetesObject & { spec: Record<string, unknown> } {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'prod',
      labels: { a: 'b' },
      annotations: { x: 'z', 'deployment.kubernetes.io/revision': '2' },
      managedFields,
    },
    spec: {
      replicas: 5,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.k8s.io/pause:3.10',
              env: [{ name: 'FOO', value: 'bar' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
            },
          ],
        },
      },
    },
  } as KubernetesObject & { spec: Record<string, unknown> };
}
