// The one render pipeline of every Application, a single Git source or a chart and several sources alike:
// read the cluster values (after the destination check), decrypt into private copies, render each source
// through its renderer, drop Sluice's own files (and turn Argo Rollouts into their Deployments),
// substitute postBuild variables, keep what a sync applies and fill in the namespace.
import type { KubernetesObject } from '@kubernetes/client-node';
import { isRefOnly } from '../../core/sync/app-sources.js';
import { readsCluster } from '../../core/sync/reads-cluster.js';
import { detectPlugin } from '../../plugins/renderers/detect.js';
import { createRenderer, type RenderPolicy } from '../../plugins/renderers/factory.js';
import { substituteObjects } from '../../plugins/renderers/post-build.js';
import type { RenderSpec } from '../../schemas/types.generated.js';
import { replaceArgoRollouts } from './argo-rollout-manifests.js';
import { postBuildVariables, type ReadObjectData, valuesFromLayers } from './cluster-values.js';
import { type RootOf, withDecryptedCopies } from './decrypt.js';
import type { RenderContext, RenderRequest } from './render.js';
import { applicableObjects, type ClusterScoped, defaultNamespace } from './render-plan.js';
import type { FetchedSource } from './source-revisions.js';

/** A source that is rendered (not ref-only), with its renderer chosen and its valuesFrom read. */
interface SourceStep {
  fetched: FetchedSource;
  render: RenderSpec;
  valuesFrom?: Record<string, unknown>[];
}

/** The objects a sync applies of the request's sources, fetched at its revision(s), in the sources' order. */
export async function renderObjects(
  req: RenderRequest,
  fetched: FetchedSource[],
  renderKey: string,
  clusterScoped: ClusterScoped,
  policy: RenderPolicy,
  ctx: RenderContext,
): Promise<KubernetesObject[]> {
  const read = readsCluster(req) ? await need(ctx.readData, 'a reader of the destination')() : undefined;
  const refRoots: Record<string, string> = {};
  for (const f of fetched) if (f.source.ref !== undefined) refRoots[f.source.ref] = f.root;
  const steps: SourceStep[] = [];
  for (const [i, f] of fetched.entries()) {
    if (isRefOnly(f.source)) continue;
    // No render options: a chart is helm's, else the plugin is detected from the files.
    const render: RenderSpec =
      f.source.render ??
      ({
        plugin: f.source.chart ? 'helm' : await detectPlugin(f.root, f.path),
      } as RenderSpec);
    const field = req.sources ? `spec.sources[${i}].render.valuesFrom` : 'render.valuesFrom';
    const valuesFrom =
      render.plugin === 'helm' && render.valuesFrom?.length && read
        ? await valuesFromLayers(render.valuesFrom, read, req.namespace, field)
        : undefined;
    steps.push({ fetched: f, render, ...(valuesFrom ? { valuesFrom } : {}) });
  }
  const renderAll = async (rootOf: RootOf) => {
    const mappedRefs = Object.fromEntries(Object.entries(refRoots).map(([ref, root]) => [ref, rootOf(root)]));
    const out: KubernetesObject[] = [];
    for (const { fetched: f, render, valuesFrom } of steps) {
      const { plugin, ...options } = render;
      const rendered = await createRenderer(plugin, policy).render({
        repoRoot: rootOf(f.root),
        path: f.path,
        appName: req.appName,
        namespace: req.namespace,
        options,
        ...(req.sources ? { refRoots: mappedRefs } : {}),
        ...(valuesFrom ? { valuesFrom } : {}),
      });
      // Sluice's own pipeline files may sit beside the manifests: they are read by the watcher, not applied.
      out.push(
        ...replaceArgoRollouts(
          rendered.objects.filter((o) => !(o.apiVersion ?? '').startsWith('sluice.dev/')),
        ),
      );
    }
    return out;
  };
  let objects = req.decryption
    ? await withDecryptedCopies(
        steps.map((s) => ({ root: s.fetched.root, path: s.fetched.path, render: s.render })),
        { refRoots, kustomizeRemoteBases: policy.kustomizeRemoteBases ?? [] },
        await need(ctx.decryptionKeys, 'decryption keys')(),
        renderAll,
      )
    : await renderAll((root) => root);
  if (req.postBuild)
    objects = substituteObjects(
      objects,
      await postBuildVariables(req.postBuild, read ?? noData, req.namespace),
    );
  // After substitution: a hook's annotations may name variables too.
  objects = applicableObjects(objects, renderKey);
  await defaultNamespace(objects, req.namespace, clusterScoped);
  return objects;
}

// postBuild without substituteFrom reads nothing from the cluster.
const noData: ReadObjectData = async () => undefined;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`render: ${what} not provided by the activity`);
  return value;
}
