// Pure mapping from what application and rollout workflows answer to Prometheus series: the collector
// (fleet-source.ts) reads the statuses, this file decides what each one means as metrics.
import type { ApplicationStatus } from '../../workflows/application/messages.js';
import type { RolloutPhase, RolloutStatus } from '../../workflows/rollout/messages.js';

/** Every rollout phase, so `sluice_rollout_phase` has one series per phase (1 for the current, 0 for the rest). */
export const ROLLOUT_PHASES: readonly RolloutPhase[] = [
  'Initializing',
  'Initialized',
  'Progressing',
  'Paused',
  'Waiting',
  'Promoting',
  'Succeeded',
  'RollingBack',
  'Failed',
  'Superseded',
];

/** What the collector read: each running application's status, and each application's current or last rollout. */
export interface FleetSnapshot {
  applications: ApplicationStatus[];
  rollouts: RolloutStatus[];
}

/** One series: its labels and value. */
export interface Series {
  labels: Record<string, string>;
  value: number;
}

/** The series of every fleet gauge, by metric name. */
export interface FleetSeries {
  applicationInfo: Series[];
  rolloutWeight: Series[];
  rolloutPhase: Series[];
  analysisLastValue: Series[];
}

/** The labels naming a rollout: its name, namespace and application. */
function rolloutLabels(r: RolloutStatus): Record<string, string> {
  return { rollout: r.rollout, namespace: r.namespace, application: r.app };
}

/** Maps a snapshot to series, as argocd_app_info and Flagger's canary gauges do. */
export function fleetSeries(s: FleetSnapshot): FleetSeries {
  return {
    applicationInfo: s.applications.map((a) => ({
      labels: {
        application: a.name,
        repo: a.repoId,
        project: a.project,
        sync_status: a.syncStatus,
        health: a.health,
        // What runs: the last synced commit (else the newest seen, not yet synced).
        revision: a.syncedRevision ?? a.sourceRevision ?? '',
        phase: a.phase,
      },
      value: 1,
    })),
    rolloutWeight: s.rollouts.map((r) => ({ labels: rolloutLabels(r), value: r.canaryWeight })),
    rolloutPhase: s.rollouts.flatMap((r) =>
      ROLLOUT_PHASES.map((phase) => ({
        labels: { ...rolloutLabels(r), phase },
        value: r.phase === phase ? 1 : 0,
      })),
    ),
    analysisLastValue: s.rollouts.flatMap((r) =>
      (r.lastChecks ?? []).flatMap((c) =>
        c.value === undefined || !Number.isFinite(c.value)
          ? []
          : [{ labels: { ...rolloutLabels(r), metric: c.name, result: c.verdict }, value: c.value }],
      ),
    ),
  };
}

/**
 * Each application's rollout as the snapshot shows it: the live status of a running rollout workflow wins
 * over the copy the application keeps of its current or last one (updated only at start and end).
 */
export function latestRollouts(applications: ApplicationStatus[], running: RolloutStatus[]): RolloutStatus[] {
  const key = (r: RolloutStatus) => `${r.app}\u0000${r.namespace}\u0000${r.rollout}`;
  const byKey = new Map<string, RolloutStatus>();
  for (const a of applications) if (a.rollout) byKey.set(key(a.rollout), stripId(a.rollout));
  for (const r of running) byKey.set(key(r), r);
  return [...byKey.values()];
}

function stripId(r: RolloutStatus & { workflowId?: string }): RolloutStatus {
  const { workflowId: _id, ...status } = r;
  return status;
}
