// The CLI's local renders (manifests, local diff) read one Git source; chart and multi-source Applications
// render only in the worker, which holds the chart credentials and caches.
import { isSingleGitSource } from '../core/sync/app-sources.js';
import type { ApplicationSource } from '../schemas/types.generated.js';
import type { AppSpec } from '../workflows/application/policy.js';
import { CliError, ExitCode } from './errors.js';

/** The Application's one Git source, or a usage error naming what the CLI cannot render locally. */
export function gitSourceOf(name: string, spec: AppSpec): ApplicationSource {
  if (isSingleGitSource(spec)) return spec.source as ApplicationSource;
  throw new CliError(
    `${name} renders a Helm chart or several sources: the CLI renders only a single Git source locally`,
    'use `sluice app diff` / `sluice app get` (the worker renders it), or run the command on a Git-source Application',
    ExitCode.usage,
  );
}
