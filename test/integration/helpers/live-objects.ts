import type { KubernetesObject } from '@kubernetes/client-node';
import { APP_LABEL, TRACKING_ANNOTATION } from '../../../activities/sync/annotations.js';

/** Labels and annotation Sluice puts on what it applies, for `<repoId>/<app>`. */
export function tracked(repoId: string, app: string) {
  return {
    labels: { [APP_LABEL]: app },
    annotations: { [TRACKING_ANNOTATION]: `${repoId}/${app}` },
  };
}

/** A ConfigMap object; `meta` adds labels/annotations (none = an object Sluice does not track). */
export function configMap(
  namespace: string,
  name: string,
  data: Record<string, string>,
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): KubernetesObject & { data: Record<string, string> } {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name, ...meta }, data };
}

/** A one-replica Deployment of the pause image (kwok runs its pod). */
export function deployment(
  namespace: string,
  name: string,
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { namespace, name, ...meta },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
      },
    },
  } as KubernetesObject;
}
