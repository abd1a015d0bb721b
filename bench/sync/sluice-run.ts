import { type Client, ServiceError, WorkflowUpdateStage } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { runStatus } from '../../core/run-endings.js';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import { hmacSignature } from '../../worker/webhooks/signature.js';
import { syncUpdate } from '../../workflows/application/messages.js';
import { type SyncResult, type syncWorkflow, syncWorkflowId } from '../../workflows/sync/workflow.js';
import { pool } from '../lib/pool.js';
import type { BenchRepo } from './bench-repo.js';
import { appManifests } from './manifests.js';

/** One repetition's Sluice apps: declared in their own repository, synced into their own namespace. */
export interface SluiceRep {
  repoId: string;
  repo: BenchRepo;
  namespace: string;
  names: string[];
}

/** One app's sync as Temporal recorded it: its workflow id, when it closed, and how it ended. */
export interface SyncClose {
  app: string;
  workflowId: string;
  closedAt: number;
  ok: boolean;
}

/** The pipeline file of app `i`: an Application of Project "bench" syncing apps/app-<i> of the same repository. */
function applicationYaml(rep: SluiceRep, i: number): string {
  return `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${rep.names[i]}
spec:
  project: bench
  source:
    repoURL: ${rep.repo.url}
    targetRevision: main
    path: apps/app-${i}
  destination:
    namespace: ${rep.namespace}
  syncPolicy:
    automated: {prune: true}
    syncOptions: [CreateNamespace=true]
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for a sync workflow to close (a long poll; it may not exist yet) and reads its close time. */
async function closed(client: Client, app: string, workflowId: string, deadline: number): Promise<SyncClose> {
  const handle = client.workflow.getHandle<typeof syncWorkflow>(workflowId);
  for (;;) {
    try {
      const result = await runStatus(handle.result());
      const d = await handle.describe();
      const ok = result.phase === 'Succeeded' && result.health === 'Healthy';
      return { app, workflowId, closedAt: d.closeTime?.getTime() ?? Number.NaN, ok };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

/**
 * Phase S1: pushes one commit with the N apps (pipeline files under pipelines/, manifests under apps/) and
 * sends the signed push webhook; the watcher starts the N applications, each runs its first sync. Returns
 * when each first sync closed (Temporal's close time, read once each has closed) and when the push began.
 */
export async function firstSync(
  client: Client,
  rep: SluiceRep,
  hook: { url: string; secret: string },
  timeoutMs: number,
): Promise<{ pushedAt: number; webhookMs: number; sha: string; closes: SyncClose[] }> {
  const files: Record<string, string> = {};
  rep.names.forEach((_, i) => {
    files[`pipelines/app-${i}.yaml`] = applicationYaml(rep, i);
    for (const [file, yaml] of Object.entries(appManifests(i))) files[`apps/app-${i}/${file}`] = yaml;
  });
  const pushedAt = Date.now();
  const sha = rep.repo.push(files, `bench: ${rep.names.length} apps`);
  const body = JSON.stringify({ ref: 'refs/heads/main', after: sha });
  const res = await fetch(`${hook.url}/webhooks/git/${rep.repoId}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': hmacSignature(hook.secret, Buffer.from(body)),
    },
  });
  if (res.status !== 202) throw new Error(`the push webhook got ${res.status}: ${await res.text()}`);
  const webhookMs = Date.now() - pushedAt;
  const deadline = Date.now() + timeoutMs;
  const closes = await pool(rep.names, 8, (name) =>
    closed(client, name, syncWorkflowId(rep.repoId, name, sha, 1), deadline),
  );
  return { pushedAt, webhookMs, sha, closes };
}

/**
 * Phase S2: the `sync` update to every application at the commit it runs (render, compare with the live
 * state, apply only what differs, health): all accepted first, so the N syncs run side by side.
 */
export async function noopResync(client: Client, rep: SluiceRep, sha: string): Promise<SyncClose[]> {
  const updates = await pool(rep.names, 100, (name) =>
    client.workflow.getHandle(applicationWorkflowId(rep.repoId, name)).startUpdate(syncUpdate, {
      args: [{ revision: sha }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    }),
  );
  // Thousands of update polls at once can fail one (the server ends a long poll); ask again, as a user would.
  const results = (await pool(updates, 64, (u) => retryService(() => u.result()))) as SyncResult[];
  const deadline = Date.now() + 60_000;
  return pool(rep.names, 16, (name, i) =>
    closed(client, name, syncWorkflowId(rep.repoId, name, sha, (results[i] as SyncResult).id), deadline),
  );
}

/** Calls `f` again (5 times at most, 1 s apart) when the Temporal server answers with a ServiceError. */
async function retryService<T>(f: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await f();
    } catch (err) {
      if (!(err instanceof ServiceError) || attempt >= 5) throw err;
      await sleep(1000);
    }
  }
}

/** Terminates workflows (application and watcher) that may run; missing or closed ones are fine. */
export async function terminateAll(client: Client, workflowIds: string[]): Promise<void> {
  await pool(workflowIds, 32, (id) =>
    client.workflow
      .getHandle(id)
      .terminate('benchmark done')
      .catch(() => undefined),
  );
}
