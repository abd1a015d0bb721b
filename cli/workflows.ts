// Finding Sluice's workflows by the names a person types, and turning Temporal's errors into CLI errors.
import {
  type Client,
  ServiceError,
  WorkflowFailedError,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { NamespaceNotFoundError } from '@temporalio/common';
import { Option } from 'commander';
import { runStatus } from '../core/run-endings.js';
import { applicationWorkflowId } from '../core/workflow-ids.js';
import type { ApplicationStatus } from '../workflows/application/messages.js';
import { applicationStatusQuery } from '../workflows/application/messages.js';
import { type RolloutStatus, rolloutStatusQuery } from '../workflows/rollout/messages.js';
import { CliError, causeChain, ExitCode } from './errors.js';
import { isName, isRepoId, parseRepoId } from './flags.js';

/** The -r, --repo option of commands that take an application name. */
export const repoOption = () =>
  new Option(
    '-r, --repo <id>',
    'the repository (worker config id) the Application is declared in (default: found by name; or write <repo>/<name>)',
  ).argParser(parseRepoId);

/** Rejects a name that cannot be an Application's (and so is unsafe in a visibility query). */
export function checkName(name: string, what = 'application'): string {
  if (!isName(name))
    throw new CliError(
      `"${name}" is not a valid ${what} name`,
      'names are lower-case DNS labels',
      ExitCode.usage,
    );
  return name;
}

/** A visibility query for Sluice workflows of one kind, optionally of one app and only running ones. */
export function kindQuery(kind: string, opts: { app?: string; running?: boolean } = {}): string {
  return [
    `SluiceKind = '${kind}'`,
    ...(opts.app ? [`SluiceApp = '${checkName(opts.app)}'`] : []),
    ...(opts.running ? [`ExecutionStatus = 'Running'`] : []),
  ].join(' AND ');
}

/**
 * The running application workflow of NAME (`app/<repo>/<name>`): with a repository (given, or written
 * as `<repo>/<name>`) directly, else found by name through visibility. Two repositories may declare the
 * same name: then the name is ambiguous and the repository must be given.
 */
export async function appHandle(client: Client, name: string, repo?: string): Promise<WorkflowHandle> {
  const slash = name.indexOf('/');
  const [repoId, app] = slash >= 0 ? [name.slice(0, slash), name.slice(slash + 1)] : [repo, name];
  checkName(app);
  if (repoId !== undefined) {
    if (!isRepoId(repoId))
      throw new CliError(
        `"${repoId}" is not a repository id`,
        'ids are letters, digits, ".", "_" and "-"',
        ExitCode.usage,
      );
    return client.workflow.getHandle(applicationWorkflowId(repoId, app));
  }
  const found = new Set<string>();
  for await (const wf of client.workflow.list({ query: kindQuery('application', { app, running: true }) }))
    found.add(wf.workflowId);
  if (found.size > 1)
    throw new CliError(
      `application "${app}" is declared in more than one repository: ${[...found].map((id) => id.replace(/^app\//, '')).join(', ')}`,
      'name one as <repo>/<name> or with --repo',
      ExitCode.usage,
    );
  const [only] = found;
  if (only) return client.workflow.getHandle(only);
  throw new AppNotListedError(app);
}

/** No running application of that name (yet: a just-pushed one is listed once its watcher has polled). */
export class AppNotListedError extends CliError {
  constructor(app: string) {
    super(
      `application "${app}" not found among the running applications`,
      'list them with `sluice app list`; a just-added one may take a moment to be listed (or give --repo)',
    );
  }
}

/** The application's status; a clear error when there is no such application. */
export async function appStatus(handle: WorkflowHandle, name: string): Promise<ApplicationStatus> {
  try {
    return await handle.query(applicationStatusQuery);
  } catch (err) {
    throw await queryError(handle, err, `application "${name}"`);
  }
}

/** Why a query failed: no such workflow, a workflow that has ended, or no worker to answer. */
export async function queryError(handle: WorkflowHandle, err: unknown, what: string): Promise<unknown> {
  if (err instanceof WorkflowNotFoundError || err instanceof CliError) return temporalError(err, what);
  const d = await handle.describe().catch(() => undefined);
  if (!d) return temporalError(err, what);
  if (d.status.name !== 'RUNNING')
    return new CliError(
      `${what} is not running (workflow ${handle.workflowId} is ${d.status.name.toLowerCase()})`,
      'it was stopped or removed from Git; `sluice app list` shows the running ones',
    );
  return new CliError(
    `${what}: no answer to the query: ${causeChain(err)}`,
    `is a \`sluice worker\` running on task queue "${d.taskQueue}"?`,
  );
}

/** The workflow ID of the application's current (or last) rollout. */
export async function currentRolloutId(client: Client, app: string, repo?: string): Promise<string> {
  if (app.startsWith('rollout/')) return app;
  const status = await appStatus(await appHandle(client, app, repo), app);
  if (!status.rollout)
    throw new CliError(
      `application "${app}" has had no rollout yet`,
      'a rollout starts when a sync changes the pod template of the Rollout’s target',
    );
  return status.rollout.workflowId;
}

/** A rollout's state: the live query while it runs, its result once it has ended. */
export async function rolloutState(client: Client, workflowId: string): Promise<RolloutStatus> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const d = await handle.describe();
    if (d.status.name === 'RUNNING')
      return await handle.query(rolloutStatusQuery).catch(async (err) => {
        throw await queryError(handle, err, `rollout ${workflowId}`);
      });
    // A rolled-back or aborted rollout fails its workflow, its status in the failure: both endings answer it.
    if (d.status.name === 'COMPLETED' || d.status.name === 'FAILED')
      return await runStatus(handle.result() as Promise<RolloutStatus>);
    throw new CliError(
      `rollout ${workflowId} is ${d.status.name.toLowerCase()}`,
      'see its history in the Temporal UI',
    );
  } catch (err) {
    throw temporalError(err, `rollout ${workflowId}`);
  }
}

/**
 * Maps Temporal errors to one-line CLI errors: a missing workflow, an update its validator rejected
 * (exit rejectedExit: 2 where that means bad input) or that failed, an unknown namespace.
 */
export function temporalError(err: unknown, what: string, rejectedExit: number = ExitCode.failure): unknown {
  if (err instanceof CliError) return err;
  if (err instanceof WorkflowNotFoundError)
    return new CliError(
      `${what} not found (or no longer running)`,
      'list them with `sluice app list` / `sluice rollout list`',
    );
  if (err instanceof NamespaceNotFoundError)
    return new CliError(
      err.message,
      'pick the namespace with --namespace (SLUICE_TEMPORAL_NAMESPACE)',
      ExitCode.usage,
    );
  if (err instanceof WorkflowUpdateFailedError) {
    const message = causeChain(err.cause) || err.message;
    // Validators throw plain errors (type "Error"); handlers fail with typed ApplicationFailures.
    const rejected = (err.cause as { type?: string } | undefined)?.type === 'Error';
    return new CliError(`${what}: ${message}`, undefined, rejected ? rejectedExit : ExitCode.failure);
  }
  if (err instanceof WorkflowFailedError)
    return new CliError(`${what} failed: ${causeChain(err.cause) || err.message}`);
  if (err instanceof ServiceError && /not found|completed/i.test(err.message))
    return new CliError(
      `${what}: ${err.message}`,
      'it may have ended; `sluice app get` shows the current state',
    );
  return err;
}
