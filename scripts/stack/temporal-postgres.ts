import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import type { StackContext } from './context.js';
import { postgresUser, startPostgres } from './postgres.js';
import { isRunning, startDetached } from './processes.js';
import { sluiceSearchAttributes, temporalEndpoints, temporalHealthy } from './temporal.js';
import {
  historyShards,
  temporalDatabases,
  temporalDynamicConfig,
  temporalServerConfig,
} from './temporal-server-config.js';
import { waitUntil } from './wait.js';

const run = promisify(execFile);

/** Processes of `--temporal postgres`, in start order (down stops them in reverse). */
export const temporalPostgresProcesses = ['postgres', 'temporal-server', 'temporal-ui'];

/** How long a registered namespace is kept after its workflows close, as the dev server's default namespace. */
const retention = '72h';

/**
 * Starts PostgreSQL, migrates Temporal's two databases, starts the Temporal server with its UI, and registers
 * the `default` namespace and Sluice's search attributes. Each step is idempotent, so a second `up` only
 * starts what is not running.
 */
export async function startTemporalPostgres(ctx: StackContext): Promise<void> {
  await startPostgres(ctx);
  const server = ctx.tool('temporal-server');
  if (isRunning(ctx.paths, 'temporal-server', server)) ctx.progress('temporal-server: already running');
  else {
    await migrate(ctx);
    const root = ctx.paths.temporalServer;
    const configDir = join(root, 'config');
    mkdirSync(configDir, { recursive: true });
    const dynamicConfig = join(root, 'dynamicconfig.yaml');
    writeFileSync(dynamicConfig, temporalDynamicConfig);
    writeFileSync(
      join(configDir, 'sluice.yaml'),
      `${JSON.stringify(temporalServerConfig(ctx.config, dynamicConfig), null, 2)}\n`,
    );
    ctx.progress(
      `temporal-server: starting on ${temporalEndpoints(ctx).address}, ${historyShards} history shards (log: ${ctx.paths.logFile('temporal-server')})`,
    );
    startDetached(ctx.paths, {
      name: 'temporal-server',
      command: server,
      args: ['--root', root, '--config', 'config', '--env', 'sluice', '--allow-no-auth', 'start'],
    });
    await waitUntil('temporal-server', () => frontendServing(ctx), {
      timeoutMs: 120_000,
      progress: ctx.progress,
      logFile: ctx.paths.logFile('temporal-server'),
      stillAlive: () => isRunning(ctx.paths, 'temporal-server', server),
    });
  }
  await registerNamespace(ctx);
  startUi(ctx);
  await waitUntil('temporal', () => temporalHealthy(ctx), {
    timeoutMs: 60_000,
    progress: ctx.progress,
    logFile: ctx.paths.logFile('temporal-ui'),
    stillAlive: () => isRunning(ctx.paths, 'temporal-ui', ctx.tool('temporal-ui-server')),
  });
}

/** temporal-sql-tool: create each database, version it at 0.0, then apply every newer versioned schema. */
async function migrate(ctx: StackContext): Promise<void> {
  const { host, ports } = ctx.config;
  const schema = ctx.tool('temporal-postgres-schema');
  const sqlTool = (database: string, ...args: string[]) =>
    run(
      ctx.tool('temporal-sql-tool'),
      [
        '--plugin',
        'postgres12',
        '--endpoint',
        host,
        '--port',
        String(ports.postgres),
        '--user',
        postgresUser,
        '--database',
        database,
        ...args,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    ).catch((err: Error & { stderr?: string }) => {
      throw new Error(
        `temporal-sql-tool ${args[0]} ${database} failed: ${err.stderr?.trim().split('\n').slice(-5).join('\n') || err.message}`,
      );
    });
  for (const [name, folder] of [
    [temporalDatabases.default, 'temporal'],
    [temporalDatabases.visibility, 'visibility'],
  ] as const) {
    const started = Date.now();
    // Each command is a no-op on a database that has it already: an existing database is kept, setup skips
    // a schema newer than 0.0, update applies only the versions above the recorded one.
    await sqlTool(name, 'create-database', '--defaultdb', 'postgres');
    await sqlTool(name, 'setup-schema', '-v', '0.0');
    await sqlTool(name, 'update-schema', '-d', join(schema, folder, 'versioned'));
    ctx.progress(`postgres: database ${name} migrated in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
}

/** True once the frontend answers gRPC (the system namespace exists from the first start). */
async function frontendServing(ctx: StackContext): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: temporalEndpoints(ctx).address, connectTimeout: 2000 });
    await connection.workflowService.getSystemInfo({});
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

/** The `default` namespace and Sluice's search attributes, through the Temporal CLI (as the dev server's flags). */
async function registerNamespace(ctx: StackContext): Promise<void> {
  const cli = (...args: string[]) =>
    run(ctx.tool('temporal'), ['operator', ...args, '--address', temporalEndpoints(ctx).address]);
  const exists = await cli('namespace', 'describe', '--namespace', 'default').then(
    () => true,
    () => false,
  );
  if (!exists) {
    await cli('namespace', 'create', '--namespace', 'default', '--retention', retention);
    ctx.progress(`temporal-server: registered namespace default (retention ${retention})`);
  }
  // A new namespace reaches the frontend's namespace cache within its refresh interval (2 s).
  await waitUntil('namespace default', () => cli('search-attribute', 'list').then(() => true), {
    timeoutMs: 30_000,
    progress: ctx.progress,
    logFile: ctx.paths.logFile('temporal-server'),
  });
  const { stdout } = await cli('search-attribute', 'list', '--output', 'json');
  const missing = Object.entries(sluiceSearchAttributes).filter(([name]) => !stdout.includes(`"${name}"`));
  if (missing.length === 0) return;
  await cli(
    'search-attribute',
    'create',
    ...missing.flatMap(([name, type]) => ['--name', name, '--type', type]),
  );
  ctx.progress(`temporal-server: search attributes ${missing.map(([n]) => n).join(', ')} registered`);
}

/** The UI (github.com/temporalio/ui-server, the same version Temporal CLI v1.5.1 embeds) on the stack's UI port. */
function startUi(ctx: StackContext): void {
  const bin = ctx.tool('temporal-ui-server');
  if (isRunning(ctx.paths, 'temporal-ui', bin)) return;
  const { host, ports } = ctx.config;
  const root = join(ctx.paths.temporalServer, 'ui');
  mkdirSync(root, { recursive: true });
  const config = {
    temporalGrpcAddress: temporalEndpoints(ctx).address,
    host,
    port: ports.temporalUi,
    enableUi: true,
    defaultNamespace: 'default',
    cors: { cookieInsecure: true },
    hideLogs: true,
  };
  writeFileSync(join(root, 'sluice.yaml'), `${JSON.stringify(config, null, 2)}\n`);
  ctx.progress(`temporal-ui: starting on ${temporalEndpoints(ctx).ui}`);
  startDetached(ctx.paths, {
    name: 'temporal-ui',
    command: bin,
    args: ['--root', root, '--config', '.', '--env', 'sluice', 'start'],
  });
}
