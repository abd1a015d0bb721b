import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { cliTypeName } from '../../worker/search-attributes.js';
import { sluiceSearchAttributeKeys } from '../../workflows/shared/search-attributes.js';
import type { StackContext } from './context.js';
import { isRunning, startDetached } from './processes.js';
import { httpOk, waitUntil } from './wait.js';

/** Search attributes Sluice's workflows set (name → the Temporal CLI's type), registered when Temporal starts (either mode). */
export const sluiceSearchAttributes: Record<string, string> = Object.fromEntries(
  sluiceSearchAttributeKeys.map((k) => [k.name, cliTypeName(k.type)]),
);

/** Names of the processes the dev-server mode starts. */
export const temporalDevProcesses = ['temporal'];

/** Temporal frontend address and UI URL for a context. */
export function temporalEndpoints(ctx: StackContext): { address: string; ui: string } {
  const { host, ports } = ctx.config;
  return { address: `${host}:${ports.temporal}`, ui: `http://${host}:${ports.temporalUi}` };
}

/** Starts `temporal server start-dev` with a SQLite file and Sluice's search attributes, and waits for it. */
export async function startTemporal(ctx: StackContext): Promise<void> {
  const bin = ctx.tool('temporal');
  if (isRunning(ctx.paths, 'temporal', bin)) {
    ctx.progress('temporal: already running');
    return;
  }
  mkdirSync(dirname(ctx.paths.temporalDb), { recursive: true });
  const { ports, host } = ctx.config;
  const args = [
    'server',
    'start-dev',
    '--ip',
    host,
    '--port',
    String(ports.temporal),
    '--ui-port',
    String(ports.temporalUi),
    '--db-filename',
    ctx.paths.temporalDb,
    '--log-format',
    'json',
    '--log-level',
    'warn',
  ];
  for (const [name, type] of Object.entries(sluiceSearchAttributes))
    args.push('--search-attribute', `${name}=${type}`);
  ctx.progress(`temporal: starting dev server (log: ${ctx.paths.logFile('temporal')})`);
  startDetached(ctx.paths, { name: 'temporal', command: bin, args });
  await waitUntil('temporal', () => temporalHealthy(ctx), {
    timeoutMs: 90_000,
    progress: ctx.progress,
    logFile: ctx.paths.logFile('temporal'),
    stillAlive: () => isRunning(ctx.paths, 'temporal', bin),
  });
}

/** True when the frontend answers gRPC, Sluice's search attributes exist and the UI serves. */
export async function temporalHealthy(ctx: StackContext): Promise<boolean> {
  const { address, ui } = temporalEndpoints(ctx);
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2000 });
    const attrs = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    const registered = Object.keys(attrs.customAttributes ?? {});
    if (!Object.keys(sluiceSearchAttributes).every((a) => registered.includes(a))) return false;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
  return httpOk(ui);
}
