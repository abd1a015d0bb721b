import type { Spread } from '../lib/stats.js';
import { judgeTargets, PHASE_USER, type Phase, type PhaseRun, phaseSpread } from './results.js';
import { MOMENTS } from './timeline.js';

/** Everything one run of bench/sync.ts measured. */
export interface SyncBenchReport {
  apps: number;
  reps: number;
  date: string;
  machine: string;
  checkout: string;
  temporal: string;
  controller: string;
  /** Sluice worker processes sharing the task queue. */
  workers: number;
  order: string[][];
  runs: PhaseRun[];
}

const PHASES: [Phase, string][] = [
  ['F', 'F floor (client-node, 32 in flight)'],
  ['K', 'K kubectl apply --server-side + wait'],
  ['S1', 'S1 Sluice first sync (push + webhook)'],
  ['S2', 'S2 Sluice no-op resync'],
];
const CPU = [
  'sluice-worker',
  'floor',
  'driver children',
  'kube-apiserver',
  'kube-controller-manager',
  'etcd',
  // The CLI dev server, or the PostgreSQL-backed server and its database.
  'temporal',
  'temporal-server',
  'postgres',
];

const fmt = (v: Spread, unit: (x: number) => string) =>
  Number.isNaN(v.median)
    ? '-'
    : v.n > 1
      ? `${unit(v.median)} [${unit(v.min)}–${unit(v.max)}]`
      : unit(v.median);
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const num = (d: number) => (x: number) => x.toFixed(d);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join(' | ')
        .trimEnd(),
    )
    .join('\n');
}

/** Other clients' writes during a phase (median over reps): the controller-manager, kwok, the scheduler. */
function others(runs: PhaseRun[], phase: Phase): string {
  const own = PHASE_USER[phase];
  const names = new Set(runs.filter((r) => r.phase === phase).flatMap((r) => Object.keys(r.requests)));
  return [...names]
    .filter((n) => n !== own)
    .map((n) => [n, phaseSpread(runs, phase, (r) => r.requests[n]?.writes ?? 0).median] as const)
    .filter(([, w]) => w > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([n, w]) => `${n} ${w.toFixed(0)}`)
    .join(', ');
}

/** The report: the setup, a table of medians and ranges per phase, CPU per process, and the targets. */
export function formatReport(r: SyncBenchReport): string {
  const s = (p: Phase, f: (x: PhaseRun) => number) => phaseSpread(r.runs, p, f);
  const main = table([
    [
      'phase',
      'wall',
      'writes/s (apply)',
      'reads',
      'writes',
      'per app p50 / p95',
      'events/app',
      'activities/app',
    ],
    ...PHASES.map(([p, label]) => [
      label,
      fmt(
        s(p, (x) => x.wallMs),
        sec,
      ),
      fmt(
        s(p, (x) => x.writesPerS),
        num(1),
      ),
      fmt(
        s(p, (x) => x.reads),
        num(0),
      ),
      fmt(
        s(p, (x) => x.writes),
        num(0),
      ),
      p.startsWith('S')
        ? `${sec(s(p, (x) => x.perAppMs?.p50 ?? Number.NaN).median)} / ${sec(s(p, (x) => x.perAppMs?.p95 ?? Number.NaN).median)}`
        : '-',
      p.startsWith('S')
        ? fmt(
            s(p, (x) => (x.history?.events ?? 0) / (x.history?.apps || 1)),
            num(1),
          )
        : '-',
      p.startsWith('S')
        ? fmt(
            s(p, (x) => (x.history?.activities ?? 0) / (x.history?.apps || 1)),
            num(1),
          )
        : '-',
    ]),
  ]);
  const cpu = table([
    ['CPU s (median)', ...CPU, 'machine busy', 'worker RSS peak'],
    ...PHASES.map(([p]) => [
      p,
      ...CPU.map((c) => s(p, (x) => x.cpuS[c] ?? 0).median.toFixed(1)),
      `${(100 * s(p, (x) => x.machineBusy).median).toFixed(0)}%`,
      `${s(p, (x) => x.workerRssMiB ?? Number.NaN).median.toFixed(0)} MiB`,
    ]),
  ]);
  const timeline = table([
    ['S1 first sync, after the push (median of reps)', 'p50', 'p95'],
    ...MOMENTS.map((m) => [
      m,
      sec(s('S1', (x) => x.timeline?.[m]?.p50 ?? Number.NaN).median),
      sec(s('S1', (x) => x.timeline?.[m]?.p95 ?? Number.NaN).median),
    ]),
  ]);
  const problems = r.runs.flatMap((x) => x.history?.problems ?? []);
  const notOk = r.runs.flatMap((x) => (x.notOk ?? []).map((a) => `${x.phase} rep ${x.rep}: ${a}`));
  const incomplete = r.runs.filter((x) => !x.auditComplete).map((x) => `${x.phase} rep ${x.rep}`);
  return [
    `bench/sync: N = ${r.apps} apps (${r.apps * 4} objects), ${r.reps} repetitions, ${r.date}, ${r.machine}, checkout ${r.checkout}`,
    `Temporal: ${r.temporal}`,
    `kube-controller-manager: ${r.controller} mode; Sluice workers: ${r.workers}`,
    `Order (ABBA): ${r.order.map((o) => o.join(' ')).join(' | ')}`,
    '',
    'Median [min–max] over the repetitions; reads/writes are the phase client’s own requests (audit log):',
    main,
    '',
    cpu,
    '',
    timeline,
    '',
    'Other clients’ writes per phase (median): ',
    ...PHASES.map(([p]) => `  ${p}: ${others(r.runs, p) || 'none'}`),
    `Errors (HTTP ≥ 400 but 404) of the phase clients: ${r.runs.reduce((a, x) => a + x.errors, 0)}`,
    `Syncs not Succeeded+Healthy: ${notOk.length ? notOk.join(', ') : 'none'}`,
    `Retried or timed-out activities: ${problems.length ? `\n  ${problems.slice(0, 20).join('\n  ')}` : 'none'}`,
    ...(incomplete.length ? [`Audit log rotated away during: ${incomplete.join(', ')} (counts low)`] : []),
    '',
    'Targets (issue 15):',
    ...judgeTargets(r.runs, r.apps, r.controller).map((t) => `  [${t.status}] ${t.label}: ${t.detail}`),
  ].join('\n');
}
