import { describe, expect, it } from 'vitest';
import { judgeTargets, type Phase, type PhaseRun } from '../../../bench/sync/results.js';

const run = (phase: Phase, rep: number, wallMs: number, extra: Partial<PhaseRun> = {}): PhaseRun => ({
  phase,
  rep,
  namespace: 'ns',
  wallMs,
  writesPerS: 10,
  reads: 0,
  writes: 0,
  errors: 0,
  requests: {},
  cpuS: {},
  machineBusy: 0,
  auditComplete: true,
  ...extra,
});

describe('sync bench targets', () => {
  it('judges S1 against F and K on medians with the default controller', () => {
    const runs = [
      ...[20_000, 21_000, 40_000].map((w, i) => run('F', i, w)),
      ...[25_000, 26_000, 24_000].map((w, i) => run('K', i, w)),
      ...[21_500, 22_000, 90_000].map((w, i) => run('S1', i, w)),
      ...[5000, 5000, 5000].map((w, i) => run('S2', i, w)),
    ];
    const t = judgeTargets(runs, 100, 'default');
    expect(t.map((x) => [x.label, x.status])).toEqual([
      ['S1 ≤ 1.05× F', 'MET'], // 22.0 / 21.0 = 1.048
      ['S1 ≤ 1.0× K', 'MET'],
      ['S2 makes 0 writes', 'MET'],
      ['S2 of 1000 apps ≤ 30 s', 'n/a'],
      ['0 retried or timed-out activities', 'MET'],
    ]);
  });

  it('with the fast controller judges apply throughput, and any S2 write or retried activity misses', () => {
    const runs = [
      run('F', 0, 10_000),
      run('K', 0, 10_000, { writesPerS: 40 }),
      run('S1', 0, 10_000, { writesPerS: 79 }),
      run('S2', 0, 31_000, {
        writes: 1,
        history: { workflows: 1, events: 9, activities: 2, problems: ['x'], apps: 1 },
      }),
    ];
    const t = judgeTargets(runs, 1000, 'fast');
    expect(t.map((x) => x.status)).toEqual(['n/a', 'MISSED', 'MISSED', 'MISSED', 'MISSED']);
    expect(t[1]?.detail).toContain('1.98×');
  });
});
