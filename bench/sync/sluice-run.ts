import { type Client, WorkflowUpdateStage } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { runStatus } from '../../core/run-endings.js';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import {
  type ApplicationStatus,
  applicationStatusQuery,
  type DesiredApplication,
  syncUpdate,
} from '../../workflows/application/messages.js';
import { applicationWorkflow } from '../../workflows/application/workflow.js';
import { type SyncResult, type syncWorkflow, syncWorkflowId } from '../../workflows/sync/workflow.js';
import { pool } from '../lib/pool.js';

/** The repository id the benchmark's applications are declared under (no watcher: started directly). */
export const BENCH_REPO = 'bench';

/** One benchmark application: its index (app-<i> folder and object names), name and workflow id. */
export interface BenchApp {
  index: number;
  name: string;
  workflowId: string;
}

/** Where the apps' manifests are and where they go. */
export interface SluiceTarget {
  taskQueue: string;
  repoURL: string;
  sha: string;
  namespace: string;
}

/** The benchmark's N applications (project "bench", so their workflow ids cannot clash with tests'). */
export function benchApps(runId: string, n: number): BenchApp[] {
  return Array.from({ length: n }, (_, index) => {
    const name = `bench-${runId}-${index}`;
    return { index, name, workflowId: applicationWorkflowId(BENCH_REPO, name) };
  });
}

function desired(app: BenchApp, target: SluiceTarget): DesiredApplication {
  return {
    repoId: BENCH_REPO,
    name: app.name,
    project: 'default',
    revision: target.sha,
    source: `bench/sync.ts (app ${app.index})`,
    spec: {
      source: {
        repoURL: target.repoURL,
        targetRevision: 'main',
        path: `apps/app-${app.index}`,
        render: { plugin: 'directory' },
      },
      destination: { namespace: target.namespace },
      syncPolicy: { automated: { prune: true, selfHeal: false }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sync workflow's result, waiting for it to be started first (the application starts it as a child). */
async function syncResult(client: Client, id: string, deadline: number): Promise<SyncResult> {
  for (;;) {
    try {
      return await runStatus(client.workflow.getHandle<typeof syncWorkflow>(id).result());
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

/** Polls one application's status until `ok`, or throws with its last status at the deadline. */
async function waitStatus(
  client: Client,
  app: BenchApp,
  ok: (s: ApplicationStatus) => boolean,
  deadline: number,
): Promise<ApplicationStatus> {
  const handle = client.workflow.getHandle(app.workflowId);
  for (;;) {
    const s = await handle.query(applicationStatusQuery);
    if (ok(s)) return s;
    if (Date.now() > deadline) {
      throw new Error(`${app.name} did not sync in time; last status: ${JSON.stringify(s)}`);
    }
    await sleep(500);
  }
}

/**
 * Starts one application workflow per app, as the repository watcher would (automated sync,
 * CreateNamespace=true, a refresh interval of 24 h so only the first sync happens), and waits until
 * every app reports syncedRevision = the commit and health Healthy. It waits on each first sync's
 * result (a long poll on the Temporal server, not a query the worker must answer) and then confirms
 * each app's status once, so the measurement adds little work to the worker it measures.
 */
export async function syncAll(
  client: Client,
  apps: BenchApp[],
  target: SluiceTarget,
  timeoutMs: number,
): Promise<{ firstSyncs: SyncResult[]; retried: string[] }> {
  const deadline = Date.now() + timeoutMs;
  await pool(apps, 32, (app) =>
    client.workflow.start(applicationWorkflow, {
      taskQueue: target.taskQueue,
      workflowId: app.workflowId,
      args: [{ desired: desired(app, target), refreshInterval: '24h' }],
    }),
  );
  // A few waits at a time: few enough that polling for not-yet-started syncs adds little load to Temporal,
  // enough that collecting the finished ones after the last sync ends takes well under a second.
  const firstSyncs = await pool(apps, 8, (app) =>
    syncResult(client, syncWorkflowId(BENCH_REPO, app.name, target.sha, 1), deadline),
  );
  // A failed first sync is retried by the application with backoff: wait for it, and report it.
  const retried = apps.filter((_, i) => firstSyncs[i]?.phase !== 'Succeeded').map((a) => a.name);
  await pool(apps, 16, (app) =>
    waitStatus(client, app, (s) => s.syncedRevision === target.sha && s.health === 'Healthy', deadline),
  );
  return { firstSyncs, retried };
}

/**
 * Asks every application to sync again at the same commit (the `sync` update: render, then apply —
 * which reads each live object and writes only those out of sync — then health) and returns each
 * sync's history entry. All updates are accepted first, so the N syncs run side by side.
 */
export async function resyncAll(client: Client, apps: BenchApp[], sha: string): Promise<SyncResult[]> {
  const updates = await pool(apps, 100, (app) =>
    client.workflow.getHandle(app.workflowId).startUpdate(syncUpdate, {
      args: [{ revision: sha }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    }),
  );
  return Promise.all(updates.map((u) => u.result()));
}

/** Terminates the applications' workflows (their syncs have finished); missing ones are fine. */
export async function terminateApps(client: Client, apps: BenchApp[]): Promise<void> {
  await pool(apps, 32, async (app) => {
    await client.workflow
      .getHandle(app.workflowId)
      .terminate('benchmark done')
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
  });
}
