// Pure: what an Application's spec says about syncing. Safe in workflows.
import type { RenderRequest, SourceRender } from '../../activities/sync/render.js';
import { appSources, isSingleGitSource, splitRevisions } from '../../core/sync/app-sources.js';
import { readsCluster } from '../../core/sync/reads-cluster.js';
import type { ApplicationSpec } from '../../schemas/types.generated.js';
import { durationMs } from '../shared/duration.js';
import type { SyncOptions } from '../sync/workflow.js';

/** An Application's spec, as generated from schemas/application.json (one source of truth). */
export type AppSpec = ApplicationSpec;

/**
 * The render request for an application at a revision of its sources: a commit for one Git source (the
 * request every Application made before charts and sources, so its render key stays), else every source's
 * revision (a commit or a chart version) in the sources' order.
 */
export function renderRequest(name: string, spec: AppSpec, revision: string): RenderRequest {
  const [first, ...rest] = appSources(spec);
  if (!first) throw new Error(`Application ${name} has no source`); // the schema requires one
  const base: RenderRequest = {
    appName: name,
    namespace: spec.destination.namespace,
    repoURL: first.repoURL,
    revision,
    path: first.path ?? '.',
    // No render options: the activity detects the plugin from the files (kustomization, Chart.yaml, else directory).
    render: first.render,
    // Each only when the spec sets it: the requests (and render keys) of other apps stay as they were.
    ...(spec.decryption ? { decryption: spec.decryption } : {}),
    ...(spec.postBuild ? { postBuild: spec.postBuild } : {}),
  };
  const cluster = { cluster: spec.destination.cluster ?? 'in-cluster' };
  if (isSingleGitSource(spec)) return readsCluster(base) ? { ...base, ...cluster } : base;
  const revisions = splitRevisions(revision);
  if (revisions.length !== rest.length + 1)
    throw new Error(
      `Application ${name}: revision ${revision} names ${revisions.length} source revisions, the spec has ${rest.length + 1} sources`,
    );
  const sources = [first, ...rest].map((s, i): SourceRender => ({ ...s, revision: revisions[i] as string }));
  // Any source's valuesFrom reads the destination, not only the first's.
  return { ...base, ...(readsCluster({ ...base, sources }) ? cluster : {}), sources };
}

/** Sync options from the spec, overridden by a manual request's prune / dry-run. */
export function syncOptions(
  spec: AppSpec,
  overrides: { prune?: boolean; dryRun?: boolean } = {},
): SyncOptions {
  const opts = spec.syncPolicy?.syncOptions ?? [];
  return {
    prune: overrides.prune ?? spec.syncPolicy?.automated?.prune ?? false,
    dryRun: overrides.dryRun ?? false,
    createNamespace: opts.includes('CreateNamespace=true'),
    allowEmpty: spec.syncPolicy?.automated?.allowEmpty ?? false,
    healthTimeout: '15m',
    health: {
      customChecks: spec.healthChecks,
      progressDeadlineSeconds: durationMs(spec.progressDeadline ?? '10m') / 1000,
    },
    adoptExisting: opts.includes('AdoptExisting=true'),
    prunePropagationPolicy: propagation(opts),
  };
}

/** How often the application looks again when nothing woke it: the spec's refreshInterval, else the worker's, else 3m. */
export function refreshIntervalMs(spec: AppSpec, workerDefault: string | undefined): number {
  return durationMs(spec.syncPolicy?.refreshInterval ?? workerDefault ?? '3m');
}

/** Delay before retry `attempt` (1-based) of a failed automated sync, or undefined when retries are used up. */
export function retryDelayMs(spec: AppSpec, attempt: number): number | undefined {
  const retry = spec.syncPolicy?.retry;
  const limit = retry?.limit ?? 5; // the schema's documented default
  if (attempt > limit) return undefined;
  const base = durationMs(retry?.backoff?.duration ?? '5s');
  const max = durationMs(retry?.backoff?.maxDuration ?? '3m');
  return Math.min(max, base * (retry?.backoff?.factor ?? 2) ** (attempt - 1));
}

/** The PrunePropagationPolicy sync option as the API's propagationPolicy (default Foreground, as Argo CD). */
function propagation(opts: string[]): 'Foreground' | 'Background' | 'Orphan' {
  if (opts.includes('PrunePropagationPolicy=background')) return 'Background';
  if (opts.includes('PrunePropagationPolicy=orphan')) return 'Orphan';
  return 'Foreground';
}
