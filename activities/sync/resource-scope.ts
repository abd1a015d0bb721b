// Whether a rendered object is namespaced: the cluster's discovery decides; for a kind the cluster does
// not serve yet, a CustomResourceDefinition in the same render does (its CRD is applied first). Anything
// else is an error: guessing "namespaced" would let a cluster-scoped object slip past a Project's rules.
import type { KubernetesObject } from '@kubernetes/client-node';
import { MissingKindError, type ObjectApi } from '../kube/object-api.js';

/** The scope a rendered CRD declares for apiVersion/kind, if the render holds one. */
export function scopeFromRenderedCrds(
  objects: KubernetesObject[],
  apiVersion: string,
  kind: string,
): 'Namespaced' | 'Cluster' | undefined {
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition' || !o.apiVersion?.startsWith('apiextensions.k8s.io/')) continue;
    const spec = (o as { spec?: { group?: string; names?: { kind?: string }; scope?: string } }).spec;
    if (spec?.group === group && spec.names?.kind === kind)
      return spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced';
  }
  return undefined;
}

/** A namespaced-or-not check for the objects of one render; discovery errors propagate (the activity retries). */
export function namespacedAmong(api: ObjectApi, objects: KubernetesObject[]) {
  return async (o: KubernetesObject): Promise<boolean> => {
    try {
      return await api.isNamespaced(o.apiVersion ?? '', o.kind ?? '');
    } catch (err) {
      if (!(err instanceof MissingKindError)) throw err;
      const scope = scopeFromRenderedCrds(objects, o.apiVersion ?? '', o.kind ?? '');
      if (scope === undefined) throw err;
      return scope === 'Namespaced';
    }
  };
}
