import { KubeConfig, type KubernetesObject, Watch } from '@kubernetes/client-node';
import { APP_LABEL, TRACKING_ANNOTATION } from '../../../activities/sync/annotations.js';
import { loadStackConfig } from '../../../scripts/stack/config.js';
import { stackPaths } from '../../../scripts/stack/paths.js';

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

/**
 * Watches every creation (ADDED) of a ConfigMap, Deployment or Job labelled for an application; `order()` lists
 * them by their creation resourceVersion (the order the API server stored them), repeats included.
 */
export async function watchAdds(app: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(stackPaths(loadStackConfig()).kubeconfig);
  const seen: { key: string; rv: number }[] = [];
  const requests = await Promise.all(
    ['/api/v1/configmaps', '/apis/apps/v1/deployments', '/apis/batch/v1/jobs'].map((path) =>
      new Watch(kc).watch(
        path,
        { labelSelector: `${APP_LABEL}=${app}` },
        (type: string, o: KubernetesObject) => {
          if (type === 'ADDED')
            seen.push({ key: `${o.kind}/${o.metadata?.name}`, rv: Number(o.metadata?.resourceVersion) });
        },
        () => {},
      ),
    ),
  );
  return {
    order: () => [...seen].sort((a, b) => a.rv - b.rv).map((s) => s.key),
    stop: () => {
      for (const r of requests) r.abort();
    },
  };
}
