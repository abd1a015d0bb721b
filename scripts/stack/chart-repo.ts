import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackContext } from './context.js';
import { ensureCredentials, readCredentials, stackUser } from './credentials.js';
import { basicAuth, httpsStatus } from './https-get.js';
import { isRunning, startDetached } from './processes.js';
import { ensureServingTls, servingTlsFiles } from './serving-tls.js';
import { waitUntil } from './wait.js';

/** Endpoint, trust and credentials of the local Helm chart repository (never the password). */
export interface ChartRepoStatus {
  /** The repository URL (`helm repo add <name> <url>`); uploads go to `<url>/api/charts`. */
  url: string;
  caFile: string;
  /** JSON file (0600) with username, password and a bearer token. */
  credentialsFile: string;
  username: string;
  healthy: boolean;
}

/** Names of the processes this component starts. */
export const chartRepoProcesses = ['chart-repo'];

/** File locations of the chart repository inside the data dir. */
export function chartRepoFiles(ctx: StackContext) {
  return {
    charts: join(ctx.paths.chartRepo, 'charts'),
    credentials: join(ctx.paths.chartRepo, 'credentials.json'),
  };
}

/** The repository's base URL. */
export function chartRepoUrl(ctx: StackContext): string {
  return `https://${ctx.config.host}:${ctx.config.ports.chartRepo}`;
}

/** The compiled server script (run with this Node, from dist or beside this file). */
function serverScript(): string {
  for (const rel of ['./chart-repo-server.js', '../../dist/scripts/stack/chart-repo-server.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('dist/scripts/stack/chart-repo-server.js is missing: run `npm run build` first');
}

/** Creates TLS files and credentials (once) and starts the chart repository server over charts/. */
export async function startChartRepo(ctx: StackContext): Promise<void> {
  if (isRunning(ctx.paths, 'chart-repo', process.execPath)) {
    ctx.progress('chart-repo: already running');
    return;
  }
  const files = chartRepoFiles(ctx);
  const tls = ensureServingTls(ctx.paths.pki);
  mkdirSync(files.charts, { recursive: true });
  ensureCredentials(files.credentials);
  ctx.progress(`chart-repo: starting (log: ${ctx.paths.logFile('chart-repo')})`);
  startDetached(ctx.paths, {
    name: 'chart-repo',
    command: process.execPath,
    args: [
      serverScript(),
      ctx.config.host,
      String(ctx.config.ports.chartRepo),
      files.charts,
      files.credentials,
      tls.cert,
      tls.key,
      ctx.tool('helm'),
    ],
  });
  await waitUntil('chart-repo', () => chartRepoAnswers(ctx), {
    timeoutMs: 30_000,
    progress: ctx.progress,
    logFile: ctx.paths.logFile('chart-repo'),
    stillAlive: () => isRunning(ctx.paths, 'chart-repo', process.execPath),
  });
}

/** True when GET /index.yaml with the stack's credentials answers 200 over TLS signed by the stack's CA. */
async function chartRepoAnswers(ctx: StackContext): Promise<boolean> {
  const { credentials } = chartRepoFiles(ctx);
  if (!existsSync(credentials)) return false;
  const { username, password } = readCredentials(credentials);
  const status = await httpsStatus(`${chartRepoUrl(ctx)}/index.yaml`, servingTlsFiles(ctx.paths.pki).caCert, {
    authorization: basicAuth(username, password),
  });
  return status === 200;
}

/** Reports the repository's URL, CA, credentials file and whether it serves index.yaml with those credentials. */
export async function chartRepoStatus(ctx: StackContext): Promise<ChartRepoStatus> {
  const { credentials } = chartRepoFiles(ctx);
  return {
    url: chartRepoUrl(ctx),
    caFile: servingTlsFiles(ctx.paths.pki).caCert,
    credentialsFile: credentials,
    username: existsSync(credentials) ? readCredentials(credentials).username : stackUser,
    healthy: await chartRepoAnswers(ctx),
  };
}
