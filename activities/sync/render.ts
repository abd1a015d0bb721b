import type { KubernetesObject } from '@kubernetes/client-node';
import type { PlannedResource, RenderedApplication } from '../../core/sync/types.js';
import { detectPlugin } from '../../plugins/renderers/detect.js';
import { createRenderer, type RenderPolicy } from '../../plugins/renderers/factory.js';
import type { RenderSpec } from '../../schemas/types.generated.js';
import { hookType, PRUNE_ANNOTATION, syncWave } from './annotations.js';
import { RenderStore } from './render-store.js';

/** Where an application's manifests come from, as its spec says, plus the resolved commit. */
export interface RenderRequest {
  appName: string;
  namespace: string;
  repoURL: string;
  revision: string;
  path: string;
  /** Renderer plugin and its options; undefined: detected from the files. */
  render?: RenderSpec;
}

/** Kinds applied before everything else, whatever their wave: other objects live in or are made of them. */
const FIRST_KINDS = new Set(['Namespace', 'CustomResourceDefinition']);

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

/** Whether an object is cluster-scoped, asked with every object of its render (whose CRDs may define it). */
export type ClusterScoped = (o: KubernetesObject, rendered: KubernetesObject[]) => Promise<boolean>;

/** The plan entry of one rendered object: wave, hook, prunability. */
export function planResource(obj: KubernetesObject): PlannedResource {
  return {
    ref: {
      apiVersion: obj.apiVersion ?? '',
      kind: obj.kind ?? '',
      namespace: obj.metadata?.namespace,
      name: obj.metadata?.name ?? '',
    },
    // Namespaces and CRDs go first: a wave below any user wave.
    wave: FIRST_KINDS.has(obj.kind ?? '') ? Number.MIN_SAFE_INTEGER : syncWave(obj),
    hook: hookType(obj),
    prunable: obj.metadata?.annotations?.[PRUNE_ANNOTATION] !== 'false',
  };
}

/** Renders an application at a checked-out commit through its renderer plugin, within the administrator's policy, and stores the result. */
export async function renderApplication(
  store: RenderStore,
  repoRoot: string,
  req: RenderRequest,
  clusterScoped: ClusterScoped,
  policy: RenderPolicy = {},
): Promise<RenderedApplication> {
  const renderKey = RenderStore.key(req);
  const objects =
    store.get(renderKey) ?? (await renderFresh(store, renderKey, repoRoot, req, clusterScoped, policy));
  return { renderKey, revision: req.revision, resources: objects.map(planResource) };
}

async function renderFresh(
  store: RenderStore,
  renderKey: string,
  repoRoot: string,
  req: RenderRequest,
  clusterScoped: ClusterScoped,
  policy: RenderPolicy,
): Promise<KubernetesObject[]> {
  const { plugin, ...options } = req.render ?? { plugin: await detectPlugin(repoRoot, req.path) };
  const rendered = await createRenderer(plugin, policy).render({
    repoRoot,
    path: req.path,
    appName: req.appName,
    namespace: req.namespace,
    options,
  });
  // Sluice's own pipeline files may sit beside the manifests: they are read by the watcher, not applied.
  const objects = rendered.objects.filter((o) => !(o.apiVersion ?? '').startsWith('sluice.dev/'));
  await defaultNamespace(objects, req.namespace, clusterScoped);
  store.put(renderKey, objects);
  return objects;
}
