// Which revision strings a sync of an Application may be asked for: a full commit SHA for each Git source and
// an exact chart version for each chart source, joined in the sources' order (joinRevisions). Pure: the sync
// update's validator runs it in the workflow, and the CLI before it sends the update.
import type { ApplicationSpec } from '../../schemas/types.generated.js';
import { appSources, isChartSource, isSingleGitSource, splitRevisions } from './app-sources.js';

const commitSha = /^[0-9a-f]{40}$/;

/** An exact chart version (semver, as index.yaml lists it and OCI tags hold it): nothing a URL path or file name could misread. */
export const chartVersionPattern = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Why `revision` cannot be synced for the Application's sources, or undefined when it can. */
export function revisionProblem(
  spec: Pick<ApplicationSpec, 'source' | 'sources'>,
  revision: string,
): string | undefined {
  if (isSingleGitSource(spec))
    return commitSha.test(revision)
      ? undefined
      : `revision must be a full 40-character commit SHA, got "${revision}"`;
  const sources = appSources(spec);
  const parts = splitRevisions(revision);
  const wanted = sources.map((s) => (isChartSource(s) ? 'a chart version' : 'a full commit SHA'));
  if (parts.length !== sources.length)
    return `revision "${revision}" names ${parts.length} source revision(s); the Application has ${sources.length} source(s): give ${wanted.join(', ')}, joined by ","`;
  for (const [i, part] of parts.entries()) {
    const ok = isChartSource(sources[i] as never) ? chartVersionPattern.test(part) : commitSha.test(part);
    if (!ok) return `revision "${revision}": source ${i + 1} needs ${wanted[i]}, got "${part}"`;
  }
  return undefined;
}
