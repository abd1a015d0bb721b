import type { TemporalMode } from './config.js';
import type { StackContext } from './context.js';
import { type PostgresStatus, postgresBin, postgresStatus } from './postgres.js';
import { isRunning } from './processes.js';
import { startTemporal, temporalDevProcesses, temporalEndpoints, temporalHealthy } from './temporal.js';
import { startTemporalPostgres, temporalPostgresProcesses } from './temporal-postgres.js';
import { temporalInternalPorts } from './temporal-server-config.js';

/** Which Temporal runs, its endpoints and whether it answers; PostgreSQL's too in postgres mode. */
export interface TemporalStatus {
  mode: TemporalMode;
  address: string;
  ui: string;
  healthy: boolean;
  /** postgres mode: the server's Prometheus metrics. */
  metrics?: string;
  postgres?: PostgresStatus;
}

/** Every process either mode may have started, so `down` and the process table cover both. */
export const temporalProcesses = [...temporalDevProcesses, ...temporalPostgresProcesses];

/** The processes of one mode. */
export function temporalModeProcesses(mode: TemporalMode): string[] {
  return mode === 'postgres' ? temporalPostgresProcesses : temporalDevProcesses;
}

/** The command each Temporal process runs, to tell a live pid from a reused one. */
export function temporalCommand(ctx: StackContext, name: string): string {
  if (name === 'postgres') return postgresBin('postgres');
  if (name === 'temporal-ui') return ctx.tool('temporal-ui-server');
  return ctx.tool(name);
}

/** The mode whose processes are running in this data dir, or undefined when none is. */
export function runningTemporalMode(ctx: StackContext): TemporalMode | undefined {
  const alive = (names: string[]) => names.some((n) => isRunning(ctx.paths, n, temporalCommand(ctx, n)));
  if (alive(temporalModeProcesses('dev'))) return 'dev';
  if (alive(temporalModeProcesses('postgres'))) return 'postgres';
  return undefined;
}

/** Thrown when `up` asks for one mode while the other runs: the two share ports and must not mix. */
export class TemporalModeConflict extends Error {
  constructor(running: TemporalMode, wanted: TemporalMode) {
    const describe = (m: TemporalMode) =>
      m === 'dev' ? 'the Temporal dev server (SQLite)' : 'the Temporal server on PostgreSQL';
    super(
      `${describe(running)} is running in this data dir, and ${describe(wanted)} was asked for: ` +
        `run \`sluice dev up --temporal ${running}\` (or SLUICE_TEMPORAL=${running}) to keep it, ` +
        `or \`sluice dev down\` first to switch`,
    );
    this.name = 'TemporalModeConflict';
  }
}

/** Refuses to start one mode over the other. */
export function assertTemporalMode(ctx: StackContext): void {
  const running = runningTemporalMode(ctx);
  if (running && running !== ctx.config.temporal)
    throw new TemporalModeConflict(running, ctx.config.temporal);
}

/** Starts the configured mode's Temporal (each start is a no-op for what already runs). */
export function startTemporalMode(ctx: StackContext): Promise<void> {
  return ctx.config.temporal === 'postgres' ? startTemporalPostgres(ctx) : startTemporal(ctx);
}

/** Reports the running mode (or the configured one when nothing runs), its endpoints and health. */
export async function temporalStatus(ctx: StackContext): Promise<TemporalStatus> {
  const mode = runningTemporalMode(ctx) ?? ctx.config.temporal;
  const endpoints = temporalEndpoints(ctx);
  if (mode === 'dev') return { mode, ...endpoints, healthy: await temporalHealthy(ctx) };
  const [healthy, postgres] = await Promise.all([temporalHealthy(ctx), postgresStatus(ctx)]);
  const metrics = `http://${ctx.config.host}:${temporalInternalPorts(ctx.config.ports.temporalInternal).metrics}/metrics`;
  return { mode, ...endpoints, metrics, healthy: healthy && postgres.healthy, postgres };
}
