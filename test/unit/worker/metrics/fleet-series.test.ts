import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerFleetMetrics } from '../../../../worker/metrics/fleet-metrics.js';
import {
  type FleetSnapshot,
  fleetSeries,
  latestRollouts,
  ROLLOUT_PHASES,
} from '../../../../worker/metrics/fleet-series.js';
import type { ApplicationStatus } from '../../../../workflows/application/messages.js';
import type { RolloutStatus } from '../../../../workflows/rollout/messages.js';

const rollout = (over: Partial<RolloutStatus> = {}): RolloutStatus => ({
  rollout: 'web',
  app: 'web',
  namespace: 'shop',
  revision: 'abc',
  checksum: 'c1',
  phase: 'Progressing',
  step: 1,
  steps: 4,
  canaryWeight: 20,
  failedChecks: 0,
  threshold: 5,
  analysisRounds: 1,
  message: 'weight 20%',
  ...over,
});

const app = (over: Partial<ApplicationStatus> = {}): ApplicationStatus => ({
  repoId: 'apps',
  name: 'web',
  project: 'default',
  revision: 'p1',
  source: 'web.yaml:1',
  updates: 1,
  phase: 'Watching',
  sourceRevision: 'def',
  syncedRevision: 'abc',
  syncStatus: 'Synced',
  health: 'Healthy',
  ...over,
});

describe('fleet series', () => {
  it('maps an application to one info series with its sync status, health and synced revision', () => {
    const s = fleetSeries({
      applications: [
        app(),
        app({ name: 'db', syncedRevision: undefined, syncStatus: 'OutOfSync', health: 'Progressing' }),
      ],
      rollouts: [],
    });
    expect(s.applicationInfo).toEqual([
      {
        labels: {
          application: 'web',
          repo: 'apps',
          project: 'default',
          sync_status: 'Synced',
          health: 'Healthy',
          revision: 'abc',
          phase: 'Watching',
        },
        value: 1,
      },
      {
        labels: {
          application: 'db',
          repo: 'apps',
          project: 'default',
          sync_status: 'OutOfSync',
          health: 'Progressing',
          revision: 'def',
          phase: 'Watching',
        },
        value: 1,
      },
    ]);
  });

  it('gives a rollout its weight, 1 for its phase and 0 for every other, and the last value of each metric', () => {
    const s = fleetSeries({
      applications: [],
      rollouts: [
        rollout({
          lastChecks: [
            { name: 'success-rate', verdict: 'Successful', value: 99.5, message: '' },
            { name: 'latency', verdict: 'Error', message: 'no data' },
          ],
        }),
      ],
    });
    const labels = { rollout: 'web', namespace: 'shop', application: 'web' };
    expect(s.rolloutWeight).toEqual([{ labels, value: 20 }]);
    expect(s.rolloutPhase).toHaveLength(ROLLOUT_PHASES.length);
    expect(s.rolloutPhase.filter((p) => p.value === 1)).toEqual([
      { labels: { ...labels, phase: 'Progressing' }, value: 1 },
    ]);
    // A check without a value (no data) has no last value.
    expect(s.analysisLastValue).toEqual([
      { labels: { ...labels, metric: 'success-rate', result: 'Successful' }, value: 99.5 },
    ]);
  });

  it("prefers a running rollout's live status over the application's copy of it", () => {
    const copy = { ...rollout({ canaryWeight: 0, phase: 'Progressing' }), workflowId: 'rollout/x' };
    const live = rollout({ canaryWeight: 40 });
    const other = {
      ...rollout({ app: 'api', rollout: 'api', phase: 'Succeeded', canaryWeight: 0 }),
      workflowId: 'rollout/y',
    };
    const got = latestRollouts([app({ rollout: copy }), app({ name: 'api', rollout: other })], [live]);
    expect(got.map((r) => [r.app, r.canaryWeight, r.phase])).toEqual([
      ['web', 40, 'Progressing'],
      ['api', 0, 'Succeeded'],
    ]);
    expect(got[1]).not.toHaveProperty('workflowId');
  });

  it('serves the series on a registry and drops those of applications that went away', async () => {
    const registry = new Registry();
    let snapshot: FleetSnapshot = { applications: [app(), app({ name: 'db' })], rollouts: [rollout()] };
    registerFleetMetrics(registry, async () => snapshot);
    const first = await registry.metrics();
    expect(first).toContain('sluice_application_info{application="db"');
    expect(first).toContain('sluice_rollout_weight{rollout="web",namespace="shop",application="web"} 20');
    expect(first).toContain(
      'sluice_rollout_phase{rollout="web",namespace="shop",application="web",phase="Progressing"} 1',
    );
    snapshot = { applications: [app()], rollouts: [] };
    const second = await registry.metrics();
    expect(second).not.toContain('application="db"');
    expect(second).not.toContain('sluice_rollout_weight{');
  });
});
