// An Application's sources as one list, whether it declares `source` or `sources` (Argo CD's multi-source),
// and the one revision string that identifies every source's revision. Pure: safe in workflows.
import type { ApplicationSource, ApplicationSpec } from '../../schemas/types.generated.js';

/** The Application's sources in order: `sources`, or the one `source`. */
export function appSources(spec: Pick<ApplicationSpec, 'source' | 'sources'>): ApplicationSource[] {
  if (spec.sources) return spec.sources;
  return spec.source ? [spec.source] : [];
}

/** Whether a source is a Helm chart from a chart repository or OCI registry (not a Git path). */
export const isChartSource = (s: ApplicationSource): boolean => s.chart !== undefined;

/** Whether a source of `sources` only provides files to the others (a ref without path or chart): not rendered. */
export const isRefOnly = (s: ApplicationSource): boolean =>
  s.ref !== undefined && s.path === undefined && s.chart === undefined;

/** A source's target: the branch, tag or commit of a Git source (default HEAD), the version constraint of a chart (default *). */
export const targetOf = (s: ApplicationSource): string =>
  s.targetRevision ?? (isChartSource(s) ? '*' : 'HEAD');

/** Whether the Application is exactly one Git source: the shape every Application had before charts and sources. */
export const isSingleGitSource = (spec: Pick<ApplicationSpec, 'source' | 'sources'>): boolean =>
  spec.sources === undefined && spec.source !== undefined && !isChartSource(spec.source);

/**
 * What the Application's revision is a revision of: "repoURL#targetRevision" for one Git source (the key
 * running workflows already hold), else every source's repoURL, chart and target.
 */
export function sourceKey(spec: Pick<ApplicationSpec, 'source' | 'sources'>): string {
  const sources = appSources(spec);
  if (isSingleGitSource(spec)) {
    const s = sources[0] as ApplicationSource;
    return `${s.repoURL}#${s.targetRevision ?? 'HEAD'}`;
  }
  return sources.map((s) => `${s.repoURL}${s.chart ? `/${s.chart}` : ''}#${targetOf(s)}`).join(' + ');
}

/** Separates the sources' revisions in one revision string: neither commits nor chart versions hold a comma. */
const SEPARATOR = ',';

/** One revision string from every source's revision (a commit, or a chart version), in the sources' order. */
export const joinRevisions = (revisions: string[]): string => revisions.join(SEPARATOR);

/** Every source's revision from a revision string (one element for a single source). */
export const splitRevisions = (revision: string): string[] => revision.split(SEPARATOR);
