import type { PostBuild, RenderSpec } from '../../schemas/types.generated.js';

/** A render request's parts that decide whether it reads the destination: its render, each source's, postBuild. */
export interface ClusterReadingParts {
  render?: RenderSpec;
  /** A chart or multi-source request's sources; when present, `render` is the first's and is not looked at alone. */
  sources?: { render?: RenderSpec }[];
  postBuild?: PostBuild;
}

/** True when a render reads ConfigMaps or Secrets from its destination (helm valuesFrom of any source, postBuild.substituteFrom). */
export function readsCluster(req: ClusterReadingParts): boolean {
  const renders = req.sources ? req.sources.map((s) => s.render) : [req.render];
  const valuesFrom = renders.some((r) => r?.plugin === 'helm' && (r.valuesFrom?.length ?? 0) > 0);
  return valuesFrom || Boolean(req.postBuild?.substituteFrom?.length);
}
