import type { Client } from '@temporalio/client';
import { applicationWorkflowId } from '../../../core/workflow-ids.js';
import {
  type ApplicationStatus,
  applicationStatusQuery,
  type DesiredApplication,
} from '../../../workflows/application/messages.js';
import { applicationWorkflow } from '../../../workflows/application/workflow.js';
import { SluiceApp, SluiceKind } from '../../../workflows/shared/search-attributes.js';
import { waitFor } from '../../helpers/wait-for.js';

/** The repository id of applications a test starts directly (no watcher). */
export const TEST_REPO = 'test';

/** An application as a test declares it: the repository defaults to TEST_REPO. */
export type TestApplication = Omit<DesiredApplication, 'repoId'> & { repoId?: string };

/** Starts an application workflow directly (as the repository watcher would) and returns its handle. */
export async function startApp(
  client: Client,
  taskQueue: string,
  app: TestApplication,
  refreshInterval = '2s',
) {
  const desired: DesiredApplication = { ...app, repoId: app.repoId ?? TEST_REPO };
  return client.workflow.start(applicationWorkflow, {
    taskQueue,
    workflowId: applicationWorkflowId(desired.repoId, desired.name),
    args: [{ desired, refreshInterval }],
    // As the watcher starts them, so the CLI finds them by name.
    typedSearchAttributes: [
      { key: SluiceApp, value: desired.name },
      { key: SluiceKind, value: 'application' },
    ],
  });
}

/** Waits until the application's status satisfies `ok`, returning that status. */
export async function waitForStatus(
  handle: { query: (q: typeof applicationStatusQuery) => Promise<ApplicationStatus> },
  what: string,
  ok: (s: ApplicationStatus) => boolean,
  timeoutMs = 60_000,
): Promise<ApplicationStatus> {
  let last: ApplicationStatus | undefined;
  try {
    return await waitFor(
      what,
      async () => {
        last = await handle.query(applicationStatusQuery);
        return ok(last) && last;
      },
      timeoutMs,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last)}`);
  }
}

/** Waits until the application reports a rollout of `revision` in a phase `done` accepts; answers that rollout. */
export function waitForAppRollout(
  client: Client,
  appId: string,
  revision: string,
  done: (phase: string) => boolean,
  timeoutMs = 120_000,
) {
  return waitFor(
    `the rollout of ${revision.slice(0, 7)}`,
    async () => {
      const r = (await client.workflow.getHandle(appId).query(applicationStatusQuery)).rollout;
      return r && r.revision === revision && done(r.phase) ? r : undefined;
    },
    timeoutMs,
    250,
  );
}
