// Pure: what an Application's spec says about syncing. Safe in workflows.
import type { RenderRequest } from '../../activities/sync/render.js';
import type { ApplicationSpec } from '../../schemas/types.generated.js';
import { durationMs } from '../shared/duration.js';
import type { SyncOptions } from '../sync/workflow.js';

/** An Application's spec, as generated from schemas/application.json (one source of truth). */
export type AppSpec = ApplicationSpec;

/** The render request for an application at a commit of its source. */
export function renderRequest(name: string, spec: AppSpec, revision: string): RenderRequest {
  return {
    appName: name,
    namespace: spec.destination.namespace,
    repoURL: spec.source.repoURL,
    revision,
    path: spec.source.path ?? '.',
    // No render options: the activity detects the plugin from the files (kustomization, Chart.yaml, else directory).
    render: spec.source.render,
  };
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
