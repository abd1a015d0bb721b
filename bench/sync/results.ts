import type { ClientRequests } from '../lib/audit-count.js';
import { type Spread, spread } from '../lib/stats.js';
import type { HistoryCounts } from './histories.js';
import type { Timeline } from './timeline.js';

/** F floor, K kubectl, S1 Sluice first sync, S2 Sluice no-op resync. */
export type Phase = 'F' | 'K' | 'S1' | 'S2';

/** The audit-log user each phase's client runs as. */
export const PHASE_USER: Record<Phase, string> = {
  F: 'bench-floor',
  K: 'bench-kubectl',
  S1: 'bench-sluice',
  S2: 'bench-sluice',
};

/** One phase of one repetition. */
export interface PhaseRun {
  phase: Phase;
  rep: number;
  namespace: string;
  wallMs: number;
  /** The phase client's write requests per second, first write received → last write answered. */
  writesPerS: number;
  /** The phase client's own requests (its audit-log user). */
  reads: number;
  writes: number;
  errors: number;
  /** Every client's requests during the phase (controller-manager, scheduler, kwok…: "user (program)"). */
  requests: Record<string, ClientRequests>;
  cpuS: Record<string, number>;
  /** The Sluice workers' peak resident memory in the phase, summed (MiB). */
  workerRssMiB?: number;
  machineBusy: number;
  auditComplete: boolean;
  /** S1: push → each app's sync closed; S2: updates sent → each sync closed. */
  perAppMs?: { p50: number; p95: number };
  /** Temporal histories of the phase's workflows (sampled apps). */
  history?: HistoryCounts & { apps: number };
  /** S1: when each moment of the sampled apps' first syncs came, after the push. */
  timeline?: Timeline;
  /** Apps whose sync did not end Succeeded and Healthy. */
  notOk?: string[];
}

/** One target, judged on measured numbers. */
export interface TargetResult {
  label: string;
  status: 'MET' | 'MISSED' | 'n/a';
  detail: string;
}

/** The median and range of one figure of a phase over the repetitions. */
export function phaseSpread(runs: PhaseRun[], phase: Phase, f: (r: PhaseRun) => number): Spread {
  return spread(runs.filter((r) => r.phase === phase).map(f));
}

const judge = (label: string, ok: boolean, detail: string): TargetResult => ({
  label,
  status: ok ? 'MET' : 'MISSED',
  detail,
});

/** Issue 15's targets, judged on the medians of the runs: which apply depends on N and the controller mode. */
export function judgeTargets(runs: PhaseRun[], apps: number, controller: string): TargetResult[] {
  const wall = (p: Phase) => phaseSpread(runs, p, (r) => r.wallMs).median;
  const rate = (p: Phase) => phaseSpread(runs, p, (r) => r.writesPerS).median;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const out: TargetResult[] = [];
  const missing = (['F', 'K', 'S1'] as const).filter((p) => !runs.some((r) => r.phase === p));
  if (missing.length > 0) {
    out.push({ label: 'S1 against F and K', status: 'n/a', detail: `not run: ${missing.join(', ')}` });
  } else if (controller === 'default') {
    out.push(judge('S1 ≤ 1.05× F', wall('S1') <= 1.05 * wall('F'), `${x(wall('S1'), wall('F'))}`));
    out.push(judge('S1 ≤ 1.0× K', wall('S1') <= wall('K'), `${x(wall('S1'), wall('K'))}`));
  } else {
    out.push({
      label: 'S1 ≤ 1.05× F and ≤ 1.0× K',
      status: 'n/a',
      detail: 'judged with the default controller',
    });
    out.push(
      judge(
        'apply-phase throughput ≥ 2× kubectl',
        rate('S1') >= 2 * rate('K'),
        `${rate('S1').toFixed(1)} vs ${rate('K').toFixed(1)} writes/s (${x(rate('S1'), rate('K'))})`,
      ),
    );
  }
  const s2Writes = runs.filter((r) => r.phase === 'S2').reduce((a, r) => a + r.writes, 0);
  out.push(
    judge('S2 makes 0 writes', s2Writes === 0, `${s2Writes} write(s) by bench-sluice over all S2 runs`),
  );
  out.push(
    apps >= 1000
      ? judge('S2 of 1000 apps ≤ 30 s', wall('S2') <= 30_000, `${(wall('S2') / 1000).toFixed(1)} s`)
      : { label: 'S2 of 1000 apps ≤ 30 s', status: 'n/a', detail: `N = ${apps}` },
  );
  const problems = runs.flatMap((r) => r.history?.problems ?? []);
  out.push(
    judge(
      '0 retried or timed-out activities',
      problems.length === 0,
      `${problems.length} in the sampled histories`,
    ),
  );
  return out;
}
