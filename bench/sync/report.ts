import type { ActivityStats } from './activity-breakdown.js';
import { type PhaseResult, type SyncBenchResults, targets } from './results.js';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const x = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([v, n]) => `${v} ${n}`)
    .join(', ') || 'none';

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A phase's client requests per object, reads and writes apart. */
function perObject(p: PhaseResult, objects: number): string {
  return `${(p.client.reads / objects).toFixed(3)} / ${(p.client.writes / objects).toFixed(3)}`;
}

function phaseRow(label: string, p: PhaseResult, objects: number): string[] {
  const worker = (v: number | undefined, f: (v: number) => string) => (v === undefined ? '-' : f(v));
  return [
    label,
    s(p.wallMs),
    (objects / (p.wallMs / 1000)).toFixed(1),
    String(p.client.reads),
    String(p.client.writes),
    String(p.server.reads),
    String(p.server.writes),
    worker(p.workerPeakRssMiB, (v) => `${v.toFixed(0)} MiB`),
    worker(p.workerCpuS, (v) => `${v.toFixed(1)} s`),
    worker(p.workerLoopMaxMs, (v) => `${v.toFixed(0)} ms`),
    worker(p.workerConnections, String),
  ];
}

function breakdownTable(stats: ActivityStats[]): string {
  return table([
    ['  activity', 'count', 'mean queue wait', 'mean run', 'p95 run', 'failed', 'retried'],
    ...stats
      .sort((a, b) => b.meanRunMs * b.count - a.meanRunMs * a.count)
      .map((a) => [
        `  ${a.activity}`,
        String(a.count),
        `${a.meanQueueMs.toFixed(0)} ms`,
        `${a.meanRunMs.toFixed(0)} ms`,
        `${a.p95RunMs.toFixed(0)} ms`,
        String(a.failed),
        a.retried ? `${a.retried} (${a.retryReasons.join('; ')})` : '0',
      ]),
  ]);
}

/** The human report: the table, the ratios, the targets (met or missed) and how each number was taken. */
export function formatReport(r: SyncBenchResults): string {
  const t = targets(r);
  const k = r.kubectl;
  const f = r.firstSync;
  const n = r.noopResync;
  const clientAll = (p: PhaseResult) => p.client.reads + p.client.writes;
  return [
    `Sluice sync benchmark: ${r.apps} apps × 4 objects (ServiceAccount, Service, Ingress, Deployment with 0 replicas) = ${r.objects} objects`,
    `${r.date} · ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.memGiB.toFixed(1)} GiB · Node ${r.machine.node} · checkout ${r.checkout}`,
    `One shared namespace per tool, unique object names (as the Flux benchmark does): ${r.namespaces.sluice}, ${r.namespaces.kubectl}`,
    `Sluice worker: one process, \`sluice worker\` defaults (Temporal worker options; kube client reads ${r.kubeLimits.qps}/s burst ${r.kubeLimits.burst}, writes ${r.kubeLimits.writeQps}/s burst ${r.kubeLimits.writeBurst}, ${r.kubeLimits.maxInFlight} in flight, apply concurrency ${r.kubeLimits.concurrency})`,
    '',
    table([
      [
        'phase',
        'wall',
        'objects/s',
        'client reads',
        'client writes',
        'server reads',
        'server writes',
        'worker RSS peak',
        'worker CPU',
        'worker loop block',
        'worker conns',
      ],
      phaseRow('kubectl apply + wait', k, r.objects),
      phaseRow('Sluice first sync', f, r.objects),
      phaseRow('Sluice no-op resync', n, r.objects),
    ]),
    '',
    `kubectl: apply ${s(k.applyMs)} + wait ${s(k.waitMs)} (${((100 * k.waitMs) / k.wallMs).toFixed(0)}% of its time is the controller-manager rolling the Deployments out, which a Sluice sync waits for too); requests ${list(k.client.byKey)}`,
    `Sluice first sync: last sync workflow finished at ${s(f.lastSyncFinishedMs)}, mean sync ${s(f.meanSyncMs)}; worker requests ${list(f.client.byKey)}${f.retried.length ? `; first sync failed and was retried for ${f.retried.length} app(s): ${f.retried.slice(0, 5).join(', ')}` : ''}`,
    `Sluice no-op resync: mean sync ${s(n.meanSyncMs)}, ${n.changedObjects} object(s) reported changed, ${n.failedSyncs} sync(s) failed; worker requests ${list(n.client.byKey)}`,
    ...[
      ['kubectl', k],
      ['first sync', f],
      ['no-op resync', n],
    ].map(([label, p]) => cpuLine(label as string, p as PhaseResult)),
    `Server-side writes by resource — kubectl: ${list(k.server.writesByResource)}`,
    `                                  first sync: ${list(f.server.writesByResource)}`,
    `                                  no-op resync: ${list(n.server.writesByResource)}`,
    '',
    `Requests per object (reads / writes): kubectl ${perObject(k, r.objects)}, first sync ${perObject(f, r.objects)}, no-op resync ${perObject(n, r.objects)}`,
    `Sluice / kubectl: wall ${x(f.wallMs, k.wallMs)}, client requests ${x(clientAll(f), clientAll(k))} (reads ${x(f.client.reads, k.client.reads)}, writes ${x(f.client.writes, k.client.writes)})`,
    'Targets:',
    `  [${t.firstSyncMet ? 'MET' : 'MISSED'}] first sync ≤ 0.8× kubectl apply + wait: ${t.firstSyncRatio.toFixed(2)}× (${s(f.wallMs)} vs ${s(k.wallMs)})`,
    `  [${t.noopMet ? 'MET' : 'MISSED'}] no-op resync makes no write requests: ${t.noopWrites} write request(s) by the worker, ${n.changedObjects} object(s) changed`,
    `  [${t.noopReadsMet ? 'MET' : 'MISSED'}] no-op resync reads ≤ 0.05 requests per object: ${t.noopReadsPerObject.toFixed(3)}`,
    '',
    `Where Sluice's time went (activity histories of ${r.breakdown.sampled} app(s) and their syncs):`,
    '  first sync:',
    breakdownTable(r.breakdown.firstSync),
    '  no-op resync:',
    breakdownTable(r.breakdown.noopResync),
    '',
    ...slowSection(r),
    '',
    'How the numbers were taken:',
    '- wall: kubectl from the namespace apply to the end of `kubectl wait`; Sluice first sync from starting the N application',
    '  workflows until every app reports syncedRevision = the commit and health Healthy; no-op resync from sending the N',
    '  `sync` updates (same commit) until all have returned.',
    "- client reads/writes: each tool's own requests, exact — kubectl from its -v=6 log, Sluice from the worker process's",
    '  HTTP client (Node diagnostics channel). Writes = POST/PUT/PATCH/DELETE.',
    '- server reads/writes: apiserver_request_total diffs, which have no user label: they include the controller-manager,',
    '  scheduler and kwok reacting to the objects, and anything else using the stack meanwhile (other tests).',
    `  Background before the phases (idle 5 s): ${r.idlePerSecond.reads.toFixed(1)} reads/s, ${r.idlePerSecond.writes.toFixed(1)} writes/s.`,
    `- worker: a child process (node --import tsx, this checkout's source), VmRSS sampled every 200 ms from /proc;`,
    `  ${r.worker.idleRssMiB.toFixed(0)} MiB idle before the first sync; VmHWM ${r.worker.hwmMiB.toFixed(0)} MiB (includes start-up, when it bundles workflows).`,
    "- CPU: user + system seconds from /proc/<pid>/stat (the stack's processes from <data>/run/*.pid, with waited-for",
    "  children: git http-backend); machine: /proc/stat, every process on the machine, other users' included.",
    '- worker CPU: user + system seconds from /proc/<pid>/stat; loop block: the longest event-loop delay (main thread',
    '  busy); conns: new connections to the API server (a request on a kept-alive connection opens none).',
    '- queue wait / run: from the workflow histories (scheduled → started → closed), first attempts only; a retried',
    "  execution's earlier attempts are in its retry reason.",
    '- order: kubectl baseline, then Sluice first sync, then the no-op resync, 3 s apart.',
  ].join('\n');
}

function slowSection(r: SyncBenchResults): string[] {
  const { activities, requests } = r.slow;
  if (activities.length === 0 && requests.length === 0)
    return ['Inside the worker: no activity ran 60 s or more, no API or Git request took 10 s or more.'];
  return [
    `Inside the worker: ${activities.length} activity execution(s) of 60 s or more, ${requests.length} HTTP request(s) of 10 s or more:`,
    ...activities
      .slice(0, 15)
      .map(
        (a) =>
          `  activity ${a.activity} (${a.workflowId}, attempt ${a.attempt}): ${s(a.ms)}, ${a.outcome}${a.error ? `: ${a.error}` : ''}`,
      ),
    ...requests
      .slice(0, 15)
      .map((q) => `  ${q.method} ${q.host}${q.path}: ${s(q.ms)}${q.finished ? '' : ', not finished'}`),
  ];
}

function cpuLine(label: string, p: PhaseResult): string {
  const stack = Object.entries(p.stackCpuS)
    .sort(([, a], [, b]) => b - a)
    .map(([name, v]) => `${name} ${v.toFixed(1)}`)
    .join(', ');
  const worker = p.workerCpuS === undefined ? '' : `Sluice worker ${p.workerCpuS.toFixed(1)}, `;
  const busy = (100 * p.machineCpu.busyS) / p.machineCpu.totalS;
  return `CPU during ${label} (s): ${worker}${stack}; machine ${p.machineCpu.busyS.toFixed(1)} of ${p.machineCpu.totalS.toFixed(1)} core-s busy (${busy.toFixed(0)}%)`;
}
