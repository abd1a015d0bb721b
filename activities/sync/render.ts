import { readsCluster } from '../../core/sync/reads-cluster.js';
import type { RenderedApplication } from '../../core/sync/types.js';
import type { ClusterCapabilities } from '../../plugins/renderers/capabilities.js';
import type { RenderPolicy } from '../../plugins/renderers/factory.js';
import type { ApplicationSource, Decryption, PostBuild, RenderSpec } from '../../schemas/types.generated.js';
import type { ReadObjectData } from './cluster-values.js';
import type { DecryptionKeys } from './decrypt.js';
import { renderObjects } from './render-pipeline.js';
import { type ClusterScoped, planResources } from './render-plan.js';
import { RenderStore } from './render-store.js';
import type { FetchedSource } from './source-revisions.js';

/** Where an application's manifests come from, as its spec says, plus the resolved commit. */
export interface RenderRequest {
  appName: string;
  namespace: string;
  repoURL: string;
  revision: string;
  path: string;
  /** Renderer plugin and its options; undefined: detected from the files. */
  render?: RenderSpec;
  /** A chart or multi-source Application: every source with its revision (repoURL, path, render above are the first's). */
  sources?: SourceRender[];
  /** SOPS decryption of the sources' encrypted files (spec.decryption); absent for apps without it. */
  decryption?: Decryption;
  /** Variable substitution on the rendered objects of all sources (spec.postBuild); absent for apps without it. */
  postBuild?: PostBuild;
  /** The destination cluster, set only when the render reads it (valuesFrom of any source, substituteFrom). */
  cluster?: string;
  /** The destination's capabilities for helm: set by the render activity from discovery (never by a workflow), so they key the render. */
  capabilities?: ClusterCapabilities;
}

/** What a render needs beyond the checkout, provided by the activity under the caller's grants. */
export interface RenderContext {
  /** The age keys of req.decryption's secretRef. */
  decryptionKeys?: () => Promise<DecryptionKeys>;
  /** A reader of the destination namespace, once the caller's Project allows that destination. */
  readData?: () => Promise<ReadObjectData>;
}

/** One source of a chart or multi-source render: the spec's source and the revision it resolved to (a commit or a chart version). */
export type SourceRender = ApplicationSource & { revision: string };

/** The one source of a single-Git-source request, at its checkout. */
export function singleSource(req: RenderRequest, root: string): FetchedSource[] {
  const source: SourceRender = {
    repoURL: req.repoURL,
    path: req.path,
    revision: req.revision,
    ...(req.render ? { render: req.render } : {}),
  };
  return [{ source, root, path: req.path }];
}

/**
 * Renders an application from its fetched sources (render-pipeline.ts), within the administrator's policy,
 * and stores the objects under the request's key.
 */
export async function renderApplication(
  store: RenderStore,
  req: RenderRequest,
  fetched: FetchedSource[],
  clusterScoped: ClusterScoped,
  policy: RenderPolicy = {},
  ctx: RenderContext = {},
): Promise<RenderedApplication> {
  const renderKey = RenderStore.key(req);
  // A render that reads the cluster is made afresh by each sync (as Flux reconciles), so a changed ConfigMap
  // takes effect; the later steps of the same sync read the stored objects.
  let objects = readsCluster(req) ? undefined : store.get(renderKey);
  if (!objects) {
    objects = await renderObjects(req, fetched, renderKey, clusterScoped, policy, ctx);
    store.put(renderKey, objects);
  }
  return { renderKey, revision: req.revision, resources: objects.flatMap(planResources) };
}
