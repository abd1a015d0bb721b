// bench/sync: N applications of the Flux-benchmark shape synced by Sluice, against the same manifests
// through `kubectl apply --server-side` + `kubectl wait`, on the running local stack.
//   npx tsx bench/sync.ts --apps 100 [--json] [--timeout <s>]      (or: npm run bench:sync -- --apps 100)
// See bench/README.md for what is measured and how.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadWorkerConfig } from '../worker/config.js';
import { syncWorkflowId } from '../workflows/sync/workflow.js';
import { Cleanups } from './lib/cleanups.js';
import { processMemory } from './lib/memory.js';
import { deleteNamespaces } from './lib/namespaces.js';
import { benchStack } from './lib/stack.js';
import { withTimeout } from './lib/with-timeout.js';
import { startWorkerChild } from './lib/worker-child.js';
import { activityBreakdown } from './sync/activity-breakdown.js';
import { createBenchRepo } from './sync/bench-repo.js';
import { kubectlBaseline, writeBaselineManifests } from './sync/kubectl-run.js';
import { appManifests, OBJECTS_PER_APP } from './sync/manifests.js';
import { idleRate, measurePhase } from './sync/phase.js';
import { formatReport } from './sync/report.js';
import type { SyncBenchResults } from './sync/results.js';
import { BENCH_REPO, benchApps, resyncAll, syncAll, terminateApps } from './sync/sluice-run.js';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
    timeout: { type: 'string' },
    'breakdown-sample': { type: 'string', default: '100' },
  },
});
const n = Number(values.apps);
if (!Number.isInteger(n) || n < 1) throw new Error(`--apps must be a positive integer, got "${values.apps}"`);
const timeoutS = Number(values.timeout ?? 300 + n);
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const settle = () => new Promise((r) => setTimeout(r, 3000));

const stack = benchStack();
const runId = Date.now().toString(36);
const ns = { sluice: `bench-sluice-${runId}`, kubectl: `bench-kubectl-${runId}` };
const apps = benchApps(runId, n);
const cleanups = new Cleanups();
// Interrupted or killed politely: still delete what the run created, so the shared stack stays clean.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanups.run(log).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

const work = mkdtempSync(join(tmpdir(), 'sluice-bench-sync-'));
cleanups.add(`remove ${work}`, () => rmSync(work, { recursive: true, force: true }));
// The worker's log outlives the run when something went wrong or was slow: it is the evidence.
const workerLog = join(tmpdir(), `sluice-bench-sync-${runId}-worker.log`);
let keepLog = false;
cleanups.add('remove the worker log', () => keepLog || rmSync(workerLog, { force: true }));
try {
  log(`committing ${n} apps (${n * OBJECTS_PER_APP} files) to a repository in the stack's Git root`);
  const files: Record<string, string> = {};
  for (const app of apps)
    for (const [file, yaml] of Object.entries(appManifests(app.index)))
      files[`apps/app-${app.index}/${file}`] = yaml;
  const repo = createBenchRepo(stack, `sync-${runId}`, files);
  cleanups.add('remove the bench repository', repo.remove);
  writeBaselineManifests(work, ns.kubectl, n);
  cleanups.add(`delete namespaces ${ns.sluice} and ${ns.kubectl}`, () =>
    deleteNamespaces(stack.kubeconfig, [ns.sluice, ns.kubectl], 300_000 + n * 600),
  );

  // The limits `sluice worker` applies when its config names none, so the worker measured is the one users run.
  const kubeLimits = loadWorkerConfig(undefined, {}).kube;
  log(`starting the Sluice worker process (kube client: ${JSON.stringify(kubeLimits)})`);
  const taskQueue = `bench-sync-${runId}`;
  const worker = await startWorkerChild(
    {
      temporalAddress: stack.temporalAddress,
      taskQueue,
      kubeconfig: stack.kubeconfig,
      cacheDir: join(work, 'worker-cache'),
      apiserver: `${stack.apiserver.host}:${stack.apiserver.port}`,
      kubeLimits,
    },
    workerLog,
  );
  cleanups.add('stop the worker', worker.stop);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  cleanups.add('close the Temporal connection', () => connection.close());
  const client = new Client({ connection });
  cleanups.add(`terminate ${n} application workflows`, () => terminateApps(client, apps));

  log('measuring the API server background for 5 s');
  const idlePerSecond = await idleRate(stack, 5000);

  log('kubectl apply --server-side + kubectl wait');
  const kubectlCache = join(work, 'kubectl-cache');
  mkdirSync(kubectlCache);
  const kubectl = await measurePhase(
    stack,
    worker,
    () => kubectlBaseline(stack, work, ns.kubectl, kubectlCache, timeoutS),
    (v) => v.counts,
  );
  await settle();

  log(`Sluice first sync of ${n} apps`);
  const workerIdle = processMemory(worker.pid);
  const target = { taskQueue, repoURL: repo.url, sha: repo.sha, namespace: ns.sluice };
  const first = await measurePhase(stack, worker, () =>
    withTimeout(syncAll(client, apps, target, timeoutS * 1000), timeoutS * 1000, 'the first sync'),
  );
  await settle();

  log(`Sluice no-op resync of ${n} apps`);
  const noop = await measurePhase(stack, worker, () =>
    withTimeout(resyncAll(client, apps, repo.sha), timeoutS * 1000, 'the no-op resync'),
  );

  const { slowActivities, slowRequests } = await worker.snapshot();
  keepLog = slowActivities.length + slowRequests.length > 0;
  const sample = apps.slice(0, Number(values['breakdown-sample']));
  log(`reading the histories of ${sample.length} app(s) for the time breakdown`);
  const syncIds = (results: { id: number }[]) =>
    sample.map((a) => syncWorkflowId(BENCH_REPO, a.name, repo.sha, results[a.index]?.id ?? 0));
  const firstResults = first.value.firstSyncs;
  const noopResults = noop.value;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const results: SyncBenchResults = {
    apps: n,
    objects: n * OBJECTS_PER_APP,
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? '?',
      memGiB: totalmem() / 2 ** 30,
      node: process.version,
    },
    checkout: checkout(),
    kubeLimits,
    namespaces: ns,
    idlePerSecond,
    kubectl: { ...strip(kubectl), applyMs: kubectl.value.applyMs, waitMs: kubectl.value.waitMs },
    firstSync: {
      ...strip(first),
      retried: first.value.retried,
      lastSyncFinishedMs: Math.max(...firstResults.map((r) => r.finishedAt)) - first.startedAt,
      meanSyncMs: mean(firstResults.map((r) => r.finishedAt - r.startedAt)),
    },
    noopResync: {
      ...strip(noop),
      changedObjects: noopResults.reduce((a, r) => a + r.changed.length, 0),
      failedSyncs: noopResults.filter((r) => r.phase !== 'Succeeded').length,
      meanSyncMs: mean(noopResults.map((r) => r.finishedAt - r.startedAt)),
    },
    worker: { idleRssMiB: workerIdle.rssMiB, hwmMiB: processMemory(worker.pid).hwmMiB },
    breakdown: {
      sampled: sample.length,
      firstSync: await activityBreakdown(client, [
        ...sample.map((a) => a.workflowId),
        ...syncIds(firstResults),
      ]),
      noopResync: await activityBreakdown(client, syncIds(noopResults)),
    },
    slow: { activities: slowActivities, requests: slowRequests },
  };
  process.stdout.write(`${values.json ? JSON.stringify(results, null, 2) : formatReport(results)}\n`);
  if (keepLog) log(`worker log kept: ${workerLog}`);
} catch (err) {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  log(`worker log kept: ${workerLog}`);
  keepLog = true;
  process.exitCode = 1;
} finally {
  await cleanups.run(log);
}

/** A phase result without the driver's bookkeeping (the run's return value, its start time). */
function strip<T extends { value: unknown; startedAt: number }>(p: T): Omit<T, 'value' | 'startedAt'> {
  const { value: _value, startedAt: _startedAt, ...rest } = p;
  return rest;
}

/** The commit measured, marked when tracked files have uncommitted changes. */
function checkout(): string {
  try {
    // --no-optional-locks: status must not refresh (write) the index while others work in this checkout.
    const git = (...args: string[]) =>
      execFileSync('git', ['--no-optional-locks', ...args], { encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}
