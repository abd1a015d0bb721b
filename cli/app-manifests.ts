// `sluice app manifests`: renders an application's source the way the worker does (same repository
// cache, same renderer plugins), from the Application spec the application workflow runs with.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { gitAuth } from '../activities/git/auth.js';
import { RepoCache } from '../activities/git/repo-cache.js';
import { envSecretSource, fileSecretSource, SecretStore } from '../activities/secrets/secret-store.js';
import { isSingleGitSource } from '../core/sync/app-sources.js';
import { revisionProblem } from '../core/sync/revision-check.js';
import { detectPlugin } from '../plugins/renderers/detect.js';
import { createRenderer } from '../plugins/renderers/factory.js';
import { loadWorkerConfig } from '../worker/config.js';
import type { DesiredApplication } from '../workflows/application/messages.js';
import type { AppSpec } from '../workflows/application/policy.js';
import { CliError, ExitCode } from './errors.js';
import { gitSourceOf } from './git-source.js';
import { appHandle, appStatus } from './workflows.js';

/**
 * The Application the workflow runs with now: its start input (continue-as-new carries the latest),
 * then the newest desired state the repository watcher signalled since.
 */
export async function desiredApplication(handle: WorkflowHandle): Promise<DesiredApplication> {
  const history = await handle.fetchHistory();
  let desired: DesiredApplication | undefined;
  for (const e of history.events ?? []) {
    const started = e.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    if (started)
      desired = defaultPayloadConverter.fromPayload<{ desired: DesiredApplication }>(started).desired;
    const signal = e.workflowExecutionSignaledEventAttributes;
    const payload = signal?.input?.payloads?.[0];
    if (signal?.signalName === 'applicationUpdate' && payload)
      desired = defaultPayloadConverter.fromPayload<DesiredApplication>(payload);
  }
  if (!desired) throw new CliError('cannot read the application’s spec from its workflow history');
  return desired;
}

/** Credentials for a repository URL, as the worker of that config would resolve them. */
async function credentials(configFile: string, url: string): Promise<Record<string, string> | undefined> {
  const config = existsSync(configFile) ? loadWorkerConfig(configFile) : undefined;
  const ref = config?.repositories.find((r) => r.url === url)?.secretRef;
  if (!ref) return undefined;
  const store = new SecretStore([
    envSecretSource(),
    ...(config?.secretsDir ? [fileSecretSource(config.secretsDir)] : []),
  ]);
  return store.resolve(ref);
}

/**
 * A branch, tag or SHA of the application's source as a full commit SHA (the sync update takes only those),
 * resolved on the Git server with the credentials the worker config names; for a chart or multi-source
 * Application, its revision as given, once it fits the sources (exact chart versions, full SHAs).
 */
export async function resolveAppRevision(
  handle: WorkflowHandle,
  revision: string,
  config: string,
): Promise<string> {
  if (/^[0-9a-f]{40}$/.test(revision)) return revision;
  const spec = (await desiredApplication(handle)).spec as unknown as AppSpec;
  // A chart version is exact already; the worker fetches it (and fails the sync if the repository lacks it).
  if (!isSingleGitSource(spec)) {
    const problem = revisionProblem(spec, revision);
    if (problem)
      throw new CliError(
        problem,
        'a chart Application takes an exact chart version (as `sluice app history` shows it); one with several sources takes every source’s revision joined by ","',
        ExitCode.usage,
      );
    return revision;
  }
  const url = gitSourceOf(handle.workflowId, spec).repoURL;
  const cache = new RepoCache(join(homedir(), '.cache', 'sluice', 'cli', 'git'));
  try {
    return await cache.resolve(url, revision, gitAuth(url, await credentials(config, url)));
  } catch (err) {
    throw new CliError(
      `cannot resolve --revision ${revision} in ${url}: ${(err as Error).message}`,
      'give a branch, a tag or a full commit SHA of the application’s source (credentials: --config)',
      ExitCode.usage,
    );
  }
}

/** Renders NAME at its synced revision (or `revision`) and answers the objects, in the sources' order. */
export async function renderAppManifests(
  client: Client,
  name: string,
  opts: { repo?: string; revision?: string; config: string },
): Promise<KubernetesObject[]> {
  const handle = await appHandle(client, name, opts.repo);
  const status = await appStatus(handle, name);
  const revision = opts.revision ?? status.syncedRevision;
  if (!revision)
    throw new CliError(`${name} has not been synced yet`, 'sync it first, or give --revision <sha>');
  const desired = await desiredApplication(handle);
  const spec = desired.spec as unknown as AppSpec;
  const source = gitSourceOf(name, spec);
  const url = source.repoURL;
  const auth = gitAuth(url, await credentials(opts.config, url));
  const cache = new RepoCache(join(homedir(), '.cache', 'sluice', 'cli', 'git'));
  await cache.ensureCommit(url, revision, revision, auth);
  const root = await cache.checkout(url, revision);
  const path = source.path ?? '.';
  const { plugin, ...options } = source.render ?? { plugin: await detectPlugin(root, path) };
  // The worker config's render policy (allowed remote kustomize bases), so the laptop renders as the worker does.
  const worker = existsSync(opts.config) ? loadWorkerConfig(opts.config) : undefined;
  const policy = { kustomizeRemoteBases: worker?.trust.kustomizeRemoteBases ?? [] };
  const rendered = await createRenderer(plugin, policy).render({
    repoRoot: root,
    path,
    appName: name,
    namespace: spec.destination.namespace,
    options,
  });
  // Pipeline files beside the manifests are read by the watcher, never applied: leave them out as the sync does.
  return rendered.objects.filter((o) => !(o.apiVersion ?? '').startsWith('sluice.dev/'));
}
