// `sluice app diff --local DIR`: renders a directory on the operator's machine with the Application's renderer and
// options, and compares it with the live cluster as a sync would (same comparison code, same ignore rules), so a
// change can be previewed before it is pushed. The directory is the user's own; the Application's render options
// still come from Git and pass the renderers' checks (paths inside the directory, remote bases by policy).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { clusterKubeConfig } from '../activities/kube/cluster-config.js';
import { ObjectApi } from '../activities/kube/object-api.js';
import { compareApplication } from '../activities/sync/compare-app.js';
import { defaultNamespace } from '../activities/sync/render-plan.js';
import { namespacedAmong } from '../activities/sync/resource-scope.js';
import type { AppResourceDiff } from '../core/diff/types.js';
import { detectPlugin } from '../plugins/renderers/detect.js';
import { createRenderer } from '../plugins/renderers/factory.js';
import { loadWorkerConfig } from '../worker/config.js';
import { historyQuery, ownerOf } from '../workflows/application/messages.js';
import type { AppSpec } from '../workflows/application/policy.js';
import { rolloutKeepLive } from '../workflows/application/rollout-runner.js';
import { desiredApplication } from './app-manifests.js';
import { CliError, ExitCode } from './errors.js';
import { gitSourceOf } from './git-source.js';

/** Where the live objects are read: a kubeconfig and context, else the worker config's, else the default. */
export interface LocalDiffOptions {
  config: string;
  kubeconfig?: string;
  context?: string;
}

/** Each object's status and diff (live → the local render), extraneous inventory objects included. */
export async function localDiff(
  handle: WorkflowHandle,
  name: string,
  dir: string,
  opts: LocalDiffOptions,
): Promise<AppResourceDiff[]> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new CliError(`--local ${dir} is not a directory`, undefined, ExitCode.usage);
  const desired = await desiredApplication(handle);
  const spec = desired.spec as unknown as AppSpec;
  const worker = existsSync(opts.config) ? loadWorkerConfig(opts.config) : undefined;
  const cluster = spec.destination.cluster;
  if (cluster && cluster !== 'in-cluster' && !opts.kubeconfig && !opts.context)
    throw new CliError(
      `${name} deploys to cluster "${cluster}"`,
      'give --kubeconfig and/or --context for that cluster',
      ExitCode.usage,
    );
  const api = ObjectApi.fromConfig(clusterKubeConfig(opts.kubeconfig ?? worker?.kubeconfig, opts.context));
  const { plugin, ...options } = gitSourceOf(name, spec).render ?? { plugin: await detectPlugin(root, '.') };
  const rendered = await createRenderer(plugin, {
    kustomizeRemoteBases: worker?.trust.kustomizeRemoteBases ?? [],
  }).render({ repoRoot: root, path: '.', appName: name, namespace: spec.destination.namespace, options });
  // As the sync: pipeline files are never applied, and namespaced objects without one go to the destination.
  const objects = rendered.objects.filter((o) => !(o.apiVersion ?? '').startsWith('sluice.dev/'));
  const namespaced = namespacedAmong(api, objects);
  await defaultNamespace(objects, spec.destination.namespace, async (o) => !(await namespaced(o)));
  const inventory = (await handle.query(historyQuery)).at(-1)?.inventory ?? [];
  return compareApplication(
    { api },
    objects,
    ownerOf(desired),
    [...(spec.ignoreDifferences ?? []), ...rolloutKeepLive(desired)],
    inventory,
  );
}
