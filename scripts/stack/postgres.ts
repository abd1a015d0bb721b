import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StackContext } from './context.js';
import { isRunning, startDetached } from './processes.js';
import { waitUntil } from './wait.js';

/** PostgreSQL's address and health, in `--temporal postgres` mode. */
export interface PostgresStatus {
  address: string;
  healthy: boolean;
}

/** The database user Temporal connects as; initdb makes it the superuser. */
export const postgresUser = 'temporal';

/** Debian's PostgreSQL programs (POSTGRES_BIN_DIR in scripts/versions.env); SLUICE_POSTGRES_BIN_DIR overrides. */
export function postgresBin(program: string): string {
  return join(process.env.SLUICE_POSTGRES_BIN_DIR || '/usr/lib/postgresql/15/bin', program);
}

/** A command line that runs a PostgreSQL program without root's privileges. */
interface Unprivileged {
  command: string;
  args: string[];
  /** True when the data dir must belong to the `postgres` user (setpriv), false when root keeps it (unshare). */
  chown?: { uid: number; gid: number };
}

let namespaceWorks: boolean | undefined;

/**
 * PostgreSQL refuses to run as root, and CI and these machines run as root. Preferred: a user namespace in
 * which root's uid appears as Debian's `postgres` user (`unshare --user --map-user`): PostgreSQL sees an
 * ordinary user that owns its data dir, runs with no capabilities, and its files stay root's outside, so a
 * data dir under root's 0700 home (the default ~/.local/state/sluice/dev, a mktemp CI clone) works and
 * `down --purge` removes them. Where user namespaces are not allowed, fall back to really switching to the
 * `postgres` user (setpriv) and chown the data dir to it, which needs every parent dir to be traversable.
 */
export function unprivileged(command: string, args: string[]): Unprivileged {
  if (process.getuid?.() !== 0) return { command, args };
  const id = (flag: string) => {
    const r = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(
        'no `postgres` user: install PostgreSQL with `bash scripts/bootstrap-tools.sh --temporal-server`',
      );
    return Number(r.stdout.trim());
  };
  const uid = id('-u');
  const gid = id('-g');
  const ns = ['--user', `--map-user=${uid}`, `--map-group=${gid}`];
  namespaceWorks ??= spawnSync('unshare', [...ns, 'true']).status === 0;
  if (namespaceWorks) return { command: 'unshare', args: [...ns, command, ...args] };
  return {
    command: 'setpriv',
    args: [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', command, ...args],
    chown: { uid, gid },
  };
}

/** Starts PostgreSQL on the stack's port (initdb on first use), unix socket in its data dir; waits until ready. */
export async function startPostgres(ctx: StackContext): Promise<void> {
  const bin = postgresBin('postgres');
  if (!existsSync(bin))
    throw new Error(`${bin} is missing: run \`bash scripts/bootstrap-tools.sh --temporal-server\``);
  if (isRunning(ctx.paths, 'postgres', bin)) {
    ctx.progress('postgres: already running');
    return;
  }
  const data = ctx.paths.postgresData;
  if (!existsSync(join(data, 'PG_VERSION'))) initdb(ctx);
  const { host, ports } = ctx.config;
  const run = unprivileged(bin, [
    '-D',
    data,
    '-p',
    String(ports.postgres),
    '-c',
    `listen_addresses=${host}`,
    '-c',
    `unix_socket_directories=${data}`,
    // Each Temporal service (frontend, history, matching, worker) opens its own pools: 4 × (20 + 10) + tools.
    '-c',
    'max_connections=200',
  ]);
  ctx.progress(`postgres: starting on ${host}:${ports.postgres} (log: ${ctx.paths.logFile('postgres')})`);
  startDetached(ctx.paths, { name: 'postgres', command: run.command, args: run.args });
  await waitUntil('postgres', () => postgresReady(ctx), {
    timeoutMs: 60_000,
    progress: ctx.progress,
    logFile: ctx.paths.logFile('postgres'),
    stillAlive: () => isRunning(ctx.paths, 'postgres', bin),
  });
}

/**
 * A new cluster whose superuser is `temporal`. Trust authentication: it listens on loopback only and holds
 * a local stack's throwaway data, like the dev server's SQLite file.
 */
function initdb(ctx: StackContext): void {
  const data = ctx.paths.postgresData;
  mkdirSync(data, { recursive: true, mode: 0o700 });
  const run = unprivileged(postgresBin('initdb'), [
    '-D',
    data,
    '-U',
    postgresUser,
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
  ]);
  if (run.chown) chownSync(data, run.chown.uid, run.chown.gid);
  ctx.progress(`postgres: initdb ${data}`);
  try {
    execFileSync(run.command, run.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`postgres: initdb failed: ${e.stderr?.toString().trim() || e.message}`);
  }
}

/** True when PostgreSQL accepts connections on the stack's port (pg_isready). */
export function postgresReady(ctx: StackContext): Promise<boolean> {
  const { host, ports } = ctx.config;
  return new Promise((resolve) => {
    execFile(
      postgresBin('pg_isready'),
      ['-h', host, '-p', String(ports.postgres), '-U', postgresUser, '-d', 'postgres', '-t', '2'],
      (err) => resolve(!err),
    );
  });
}

/** Reports PostgreSQL's address and whether it accepts connections. */
export async function postgresStatus(ctx: StackContext): Promise<PostgresStatus> {
  const { host, ports } = ctx.config;
  return { address: `${host}:${ports.postgres}`, healthy: await postgresReady(ctx) };
}
