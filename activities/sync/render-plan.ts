// What a sync does with each rendered object: which are applied at all (applicableObjects), in which
// namespace (defaultNamespace), and in which wave, as which hook, prunable or not (planResource).
import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { PlannedResource } from '../../core/sync/types.js';
import { AnnotationError, objectName, PRUNE_ANNOTATION, syncWave } from './annotations.js';
import { deletePoliciesOf, hookOf } from './hook-annotations.js';
import { objectSyncOptions } from './object-sync-options.js';

/** Kinds applied before everything else, whatever their wave: other objects live in or are made of them. */
const FIRST_KINDS = new Set(['Namespace', 'CustomResourceDefinition']);

/** Whether an object is cluster-scoped, asked with every object of its render (whose CRDs may define it). */
export type ClusterScoped = (o: KubernetesObject, rendered: KubernetesObject[]) => Promise<boolean>;

/** Fills in the destination namespace for namespaced objects that name none (cluster-scoped kinds are left alone). */
export async function defaultNamespace(
  objects: KubernetesObject[],
  namespace: string,
  clusterScoped: ClusterScoped,
): Promise<void> {
  for (const o of objects) {
    if (!o.metadata) o.metadata = {};
    if (!o.metadata.namespace && !(await clusterScoped(o, objects))) o.metadata.namespace = namespace;
  }
}

/**
 * The plan entries of one rendered object: one, or one per phase for a hook named for several (Argo CD runs it in
 * each; the later phase deletes and creates it again, or leaves it, by its delete policy).
 */
export function planResources(obj: KubernetesObject): PlannedResource[] {
  const { hooks } = hookOf(obj);
  return hooks.length > 1 ? hooks.map((hook) => planResource(obj, hook)) : [planResource(obj)];
}

/** The plan entry of one rendered object in one phase (its first, by default): wave, hook with its delete policies, prunability. */
export function planResource(obj: KubernetesObject, hook = hookOf(obj).hooks[0]): PlannedResource {
  const options = objectSyncOptions(obj);
  return {
    ref: {
      apiVersion: obj.apiVersion ?? '',
      kind: obj.kind ?? '',
      namespace: obj.metadata?.namespace,
      name: obj.metadata?.name ?? '',
    },
    // Namespaces and CRDs go first: a wave below any user wave.
    wave: FIRST_KINDS.has(obj.kind ?? '') ? Number.MIN_SAFE_INTEGER : syncWave(obj),
    ...(hook ? { hook, deletePolicies: deletePoliciesOf(obj) } : {}),
    prunable: obj.metadata?.annotations?.[PRUNE_ANNOTATION] !== 'false' && options.prune,
    ...(options.ignore ? { ignored: true as const } : {}),
  };
}

/**
 * What a sync applies of a render: objects annotated never to be applied (Skip, PostDelete, Helm test and
 * delete hooks) are left out, and a hook with only generateName gets its name here, fixed by the render
 * (its key and place), so every worker and every retry names it alike; the delete policy
 * BeforeHookCreation (the default) makes the next sync of the same render create it again.
 */
export function applicableObjects(objects: KubernetesObject[], renderKey: string): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  for (const [i, o] of objects.entries()) {
    const { skip, hooks } = hookOf(o);
    if (skip) continue;
    if (!o.metadata?.name && o.metadata?.generateName) {
      if (hooks.length === 0)
        throw new AnnotationError(
          `${objectName(o)}: metadata.generateName is only supported on hooks (as in Argo CD): give it a name`,
        );
      const suffix = createHash('sha256').update(`${renderKey}/${i}`).digest('hex').slice(0, 5);
      const { generateName, ...metadata } = o.metadata;
      out.push({ ...o, metadata: { ...metadata, name: `${generateName}${suffix}` } });
      continue;
    }
    out.push(o);
  }
  return out;
}
