import { Counter, Gauge, type Registry } from 'prom-client';
import { type FleetSeries, type FleetSnapshot, fleetSeries, type Series } from './fleet-series.js';
import { type FleetSourceOptions, fleetSource } from './fleet-source.js';

/** A gauge whose series are replaced at each scrape from the snapshot (gone applications disappear). */
function fleetGauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  pick: (s: FleetSeries) => Series[],
  series: () => Promise<FleetSeries>,
): Gauge {
  return new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      const all = pick(await series());
      this.reset();
      for (const s of all) this.set(s.labels, s.value);
    },
  });
}

/**
 * Registers the per-application and per-rollout gauges, filled at scrape time from `snapshot` (see
 * fleet-source.ts), and the counter of statuses that could not be read, which it returns.
 */
export function registerFleetMetrics(
  registry: Registry,
  snapshot: () => Promise<FleetSnapshot>,
): { readErrors: Counter<'kind'> } {
  const series = async () => fleetSeries(await snapshot());
  const rollout = ['rollout', 'namespace', 'application'];
  fleetGauge(
    registry,
    'sluice_application_info',
    'One series per running application (value 1): its sync status, health, synced revision, repository, project and workflow phase.',
    ['application', 'repo', 'project', 'sync_status', 'health', 'revision', 'phase'],
    (s) => s.applicationInfo,
    series,
  );
  fleetGauge(
    registry,
    'sluice_rollout_weight',
    "Percent of traffic on the canary of each application's current or last rollout (0 once promoted or rolled back).",
    rollout,
    (s) => s.rolloutWeight,
    series,
  );
  fleetGauge(
    registry,
    'sluice_rollout_phase',
    "Phase of each application's current or last rollout: 1 for the phase it is in, 0 for every other phase.",
    [...rollout, 'phase'],
    (s) => s.rolloutPhase,
    series,
  );
  fleetGauge(
    registry,
    'sluice_analysis_last_value',
    "Value each metric check returned in the last analysis round of each application's current or last rollout, with that check's result.",
    [...rollout, 'metric', 'result'],
    (s) => s.analysisLastValue,
    series,
  );
  return {
    readErrors: new Counter({
      name: 'sluice_fleet_read_errors_total',
      help: 'Statuses the fleet collector could not read from Temporal, by kind (application, rollout; list = the visibility listing itself).',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}

/** Reports the fleet on the task queue through `registry`: the gauges above, read from Temporal at scrape time. */
export function addFleetMetrics(registry: Registry, o: Omit<FleetSourceOptions, 'onError'>): void {
  const { readErrors } = registerFleetMetrics(
    registry,
    fleetSource({ ...o, onError: (kind) => readErrors.inc({ kind }) }),
  );
}
