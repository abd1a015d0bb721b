// bench/sync: the floor (F), kubectl (K), Sluice's first sync (S1) and no-op resync (S2) of N applications of
// the Flux-benchmark shape, each phase in a fresh namespace, ABBA order over repetitions, on the running stack.
//   npx tsx bench/sync.ts --apps 100 [--reps 3] [--json]      (or: npm run bench:sync -- --apps 100)
// See bench/README.md for what is measured and how.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { stringify } from 'yaml';
import { applicationWorkflowId, repoWatcherId } from '../core/workflow-ids.js';
import { runningControllerMode } from '../scripts/stack/controller-mode.js';
import { ensureKubeClient } from '../scripts/stack/kube-clients.js';
import { recordedPid } from '../scripts/stack/processes.js';
import { abbaOrder } from './lib/abba.js';
import { Cleanups } from './lib/cleanups.js';
import { deleteNamespaces } from './lib/namespaces.js';
import { benchStack } from './lib/stack.js';
import { temporalInfo } from './lib/temporal-info.js';
import { startWorkerChild } from './lib/worker-child.js';
import { createBenchRepo } from './sync/bench-repo.js';
import { floorPhase, kubectlPhase, type PhaseContext, sluicePhases } from './sync/phases.js';
import { formatReport } from './sync/report.js';
import type { PhaseRun } from './sync/results.js';
import { type SluiceRep, terminateAll } from './sync/sluice-run.js';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '100' },
    reps: { type: 'string' },
    json: { type: 'boolean', default: false },
    timeout: { type: 'string' },
    'history-sample': { type: 'string', default: '100' },
    // For looking into one phase while changing Sluice: targets need all three and are n/a without them.
    phases: { type: 'string', default: 'FKS' },
    // The worker's `tuning` block as JSON, e.g. '{"workflowThreadPoolSize":2}' (default: the SDK's defaults).
    tuning: { type: 'string' },
    // Sluice worker processes sharing the task queue (each its own cache dir, identity and webhook port).
    workers: { type: 'string', default: '1' },
  },
});
const n = Number(values.apps);
if (!Number.isInteger(n) || n < 1) throw new Error(`--apps must be a positive integer, got "${values.apps}"`);
const units = (['F', 'K', 'S'] as const).filter((u) => values.phases.includes(u));
if (units.length === 0) throw new Error(`--phases takes letters of FKS, got "${values.phases}"`);
const workerCount = Number(values.workers);
if (!Number.isInteger(workerCount) || workerCount < 1)
  throw new Error(`--workers must be a positive integer, got "${values.workers}"`);
const tuning = values.tuning ? (JSON.parse(values.tuning) as Record<string, unknown>) : undefined;
const reps = Number(values.reps ?? (n >= 1000 ? 2 : 3));
const timeoutS = Number(values.timeout ?? 300 + n);
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const settle = () => new Promise((r) => setTimeout(r, 3000));

const stack = benchStack();
const apiserverPid = recordedPid(stack.paths, 'kube-apiserver');
const apiserverArgs = apiserverPid ? readFileSync(`/proc/${apiserverPid}/cmdline`, 'utf8') : '';
if (!apiserverArgs.includes('--audit-log-path'))
  throw new Error(
    'kube-apiserver runs without an audit log: restart it with this checkout (stop it, then `sluice dev up`)',
  );
const controller = runningControllerMode(stack.paths) ?? 'not running';
const server = `https://${stack.apiserver.host}:${stack.apiserver.port}`;
const kubeDir = dirname(stack.kubeconfig);
const kube = (user: string) => ensureKubeClient(kubeDir, server, user).kubeconfig;
const runId = Date.now().toString(36);
const cleanups = new Cleanups();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanups.run(log).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });

const work = mkdtempSync(join(tmpdir(), 'sluice-bench-sync-'));
cleanups.add(`remove ${work}`, () => rmSync(work, { recursive: true, force: true }));
const workerLog = join(tmpdir(), `sluice-bench-sync-${runId}-worker.log`);
const namespaces: string[] = [];
cleanups.add('delete the namespaces', () =>
  deleteNamespaces(stack.kubeconfig, namespaces, 300_000 + n * 600),
);
try {
  const sluiceReps: SluiceRep[] = Array.from({ length: reps }, (_, r) => {
    const repoId = `bench-${runId}-${r}`;
    const repo = createBenchRepo(stack, repoId);
    cleanups.add(`remove repository ${repoId}`, repo.remove);
    const names = Array.from({ length: n }, (_, i) => `b${runId}-${r}-${i}`);
    return { repoId, repo, namespace: `bench-s-${runId}-${r}`, names };
  });
  const secret = `bench-${runId}-${Math.random().toString(36).slice(2)}`;
  const hookPorts = await Promise.all(Array.from({ length: workerCount }, () => freePort()));
  const workerConfig = (k: number) => ({
    temporal: { address: stack.temporalAddress, namespace: 'default' },
    taskQueue: `bench-sync-${runId}`,
    identity: `bench-worker-${k}`,
    kubeconfig: kube('bench-sluice'),
    // The floor applies unthrottled; Sluice's client-side pacing (default 50 writes/s, as Argo CD's and Flux's
    // controllers) is a policy an operator sets for the load, not Sluice's cost: set as high as the floor's pace.
    kube: { qps: 500, burst: 1000, writeQps: 500, writeBurst: 1000 },
    ...(tuning ? { tuning } : {}),
    cacheDir: join(work, `worker-cache-${k}`),
    webhooks: { host: '127.0.0.1', port: hookPorts[k] },
    // Only the push wakes a watcher and only a sync changes an app: the safety nets stay out of the way.
    applications: { refreshInterval: '24h' },
    projects: [
      {
        name: 'bench',
        sourceRepos: ['*'],
        destinations: [{ namespace: '*' }],
        clusterResourceAllowList: [{ group: '*', kind: '*' }],
      },
    ],
    repositories: sluiceReps.map((s) => ({
      id: s.repoId,
      url: s.repo.url,
      revision: 'main',
      path: 'pipelines',
      pollInterval: '24h',
      webhookSecretRef: { name: 'bench-hook' },
      projects: ['bench'],
    })),
  });
  const workerPids: number[] = [];
  for (let k = 0; k < workerCount; k++) {
    const configFile = join(work, `worker-${k}.yaml`);
    writeFileSync(configFile, stringify(workerConfig(k)));
    const logFile = workerLog.replace(/\.log$/, `-${k}.log`);
    log(`starting sluice worker ${k + 1}/${workerCount} (config ${configFile}, log ${logFile})`);
    const worker = await startWorkerChild(configFile, { SLUICE_SECRET_BENCH_HOOK_SECRET: secret }, logFile);
    cleanups.add(`stop worker ${k + 1}`, worker.stop);
    workerPids.push(worker.pid);
  }
  const hookPort = hookPorts[0] as number;
  const connection = await Connection.connect({ address: stack.temporalAddress });
  cleanups.add('close the Temporal connection', () => connection.close());
  const client = new Client({ connection });
  cleanups.add('terminate the watchers and applications', () =>
    terminateAll(client, [
      ...sluiceReps.map((s) => repoWatcherId(s.repoId)),
      ...sluiceReps.flatMap((s) => s.names.map((name) => applicationWorkflowId(s.repoId, name))),
    ]),
  );
  const temporal = await temporalInfo(connection, stack.temporalAddress);
  log(`Temporal: ${temporal}; controller-manager: ${controller} mode`);
  const ctx: PhaseContext = {
    stack,
    client,
    workerPids,
    kubeconfigs: { floor: kube('bench-floor'), kubectl: kube('bench-kubectl') },
    hook: { url: `http://127.0.0.1:${hookPort}`, secret },
    work,
    apps: n,
    timeoutS,
    historySample: Number(values['history-sample']),
  };
  const order = abbaOrder(units, reps);
  const runs: PhaseRun[] = [];
  for (const [rep, units] of order.entries()) {
    for (const unit of units) {
      log(`rep ${rep + 1}/${reps}: ${unit === 'S' ? 'S1 + S2' : unit} (N = ${n})`);
      if (unit === 'F') {
        namespaces.push(`bench-f-${runId}-${rep}`);
        runs.push(await floorPhase(ctx, rep, `bench-f-${runId}-${rep}`));
      } else if (unit === 'K') {
        namespaces.push(`bench-k-${runId}-${rep}`);
        runs.push(await kubectlPhase(ctx, rep, `bench-k-${runId}-${rep}`));
      } else {
        const sluice = sluiceReps[rep] as SluiceRep;
        namespaces.push(sluice.namespace);
        runs.push(...(await sluicePhases(ctx, rep, sluice)));
      }
      const last = runs[runs.length - 1] as PhaseRun;
      log(
        `  ${last.phase}: ${(last.wallMs / 1000).toFixed(1)} s, ${last.writes} writes, ${last.reads} reads`,
      );
      await settle();
    }
  }
  const report = {
    apps: n,
    reps,
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    machine: `${cpus().length} vCPUs (${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
    checkout: checkout(),
    temporal,
    controller,
    workers: workerCount,
    order: order.map((o) => o.map((u) => (u === 'S' ? 'S1 S2' : u))),
    runs,
  };
  process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
} catch (err) {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  log(`worker logs kept: ${workerLog.replace(/\.log$/, '-<k>.log')}`);
  process.exitCode = 1;
} finally {
  await cleanups.run(log);
}

/** A TCP port nothing listens on now, for the worker's webhook receiver. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** The commit measured, marked when tracked files have uncommitted changes. */
function checkout(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', ['--no-optional-locks', ...args], { encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}
