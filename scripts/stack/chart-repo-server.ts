// A Helm chart repository over HTTPS: index.yaml and the chart archives from one folder (a chart repository
// is static files, per Helm's docs), behind basic auth or a bearer token, plus ChartMuseum's upload API so
// tests publish charts the way CI systems do: `POST /api/charts` with the .tgz as the body, and
// `DELETE /api/charts/<name>/<version>`. index.yaml is rewritten by the built `helm repo index`, so it is
// exactly what Helm itself would publish (digests, created times, every Chart.yaml field).
// Usage: node chart-repo-server.js <host> <port> <chartsDir> <credentialsFile> <certFile> <keyFile> <helm>
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { readCredentials } from './credentials.js';
import { log, sameSecret } from './server-process.js';

const [
  host = '127.0.0.1',
  portArg = '18443',
  chartsDir = '',
  credentialsFile = '',
  certFile = '',
  keyFile = '',
  helm = 'helm',
] = process.argv.slice(2);
const run = promisify(execFile);
/** Bigger than any chart a test builds; ChartMuseum's default limit is 20 MiB too. */
const maxUpload = 20 * 1024 * 1024;
/** Chart names and versions become file names: no separators, no dot-dot, nothing a shell or URL would mangle. */
const safeName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const safeVersion = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,99}$/;
const archive = /^\/([A-Za-z0-9][A-Za-z0-9_.+-]{0,200}\.tgz)$/;

/** Helm keeps its config and cache beside the charts, never in the user's home. */
const helmEnv = {
  ...process.env,
  HELM_CONFIG_HOME: join(chartsDir, '..', 'helm', 'config'),
  HELM_CACHE_HOME: join(chartsDir, '..', 'helm', 'cache'),
  HELM_DATA_HOME: join(chartsDir, '..', 'helm', 'data'),
};

/** True for the stack's basic-auth credentials or its bearer token (read per request, so a rotation applies at once). */
function authorized(req: IncomingMessage): boolean {
  const header = req.headers.authorization ?? '';
  const creds = readCredentials(credentialsFile);
  if (header.startsWith('Bearer ')) return sameSecret(header.slice(7), creds.token);
  if (!header.startsWith('Basic ')) return false;
  return sameSecret(
    Buffer.from(header.slice(6), 'base64').toString('utf8'),
    `${creds.username}:${creds.password}`,
  );
}

/** Index updates run one at a time: two `helm repo index` runs over one folder would lose an entry. */
let indexQueue: Promise<unknown> = Promise.resolve();
function reindex(): Promise<void> {
  const next = indexQueue.then(async () => {
    const index = join(chartsDir, 'index.yaml');
    // Regenerated from the archives present (not merged), so a deleted chart leaves the index too.
    await run(helm, ['repo', 'index', chartsDir], { env: helmEnv });
    if (!existsSync(index)) throw new Error('helm repo index wrote no index.yaml');
  });
  indexQueue = next.catch(() => undefined);
  return next;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxUpload) {
        reject(new HttpError(413, `chart larger than ${maxUpload} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Stores an uploaded archive as <name>-<version>.tgz (names from its own Chart.yaml) and reindexes. */
async function upload(req: IncomingMessage, force: boolean): Promise<{ name: string; version: string }> {
  const body = await readBody(req);
  const tmp = mkdtempSync(join(chartsDir, '..', 'upload-'));
  try {
    const file = join(tmp, 'chart.tgz');
    writeFileSync(file, body);
    let meta: { name?: unknown; version?: unknown };
    try {
      meta = parse((await run(helm, ['show', 'chart', file], { env: helmEnv })).stdout) ?? {};
    } catch (err) {
      throw new HttpError(
        400,
        `not a chart archive: ${(err as Error).message.split('\n').slice(-2).join(' ')}`,
      );
    }
    const name = String(meta.name ?? '');
    const version = String(meta.version ?? '');
    if (!safeName.test(name) || !safeVersion.test(version))
      throw new HttpError(
        400,
        `chart name ${JSON.stringify(name)} or version ${JSON.stringify(version)} is not allowed`,
      );
    const target = join(chartsDir, `${name}-${version}.tgz`);
    if (existsSync(target) && !force) throw new HttpError(409, `${name}-${version}.tgz already exists`);
    renameSync(file, target);
    await reindex();
    return { name, version };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function remove(name: string, version: string): Promise<void> {
  if (!safeName.test(name) || !safeVersion.test(version))
    throw new HttpError(400, 'bad chart name or version');
  const target = join(chartsDir, `${name}-${version}.tgz`);
  if (!existsSync(target)) throw new HttpError(404, `${name}-${version}.tgz not found`);
  rmSync(target);
  await reindex();
}

function sendFile(res: ServerResponse, file: string, type: string): void {
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const path = url.pathname;
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  if (!authorized(req)) {
    res
      .writeHead(401, { 'www-authenticate': 'Basic realm="sluice-dev-charts"' })
      .end('authentication required\n');
    log('info', 'denied', { method: req.method, path });
    return;
  }
  const chartPath = /^\/api\/charts\/([^/]+)\/([^/]+)$/.exec(path);
  if (req.method === 'POST' && path === '/api/charts') {
    const saved = await upload(req, url.searchParams.get('force') === 'true');
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ saved: true }));
    log('info', 'uploaded', saved);
  } else if (req.method === 'DELETE' && chartPath) {
    await remove(decodeURIComponent(chartPath[1] ?? ''), decodeURIComponent(chartPath[2] ?? ''));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ deleted: true }));
    log('info', 'deleted', { path });
  } else if (req.method === 'GET' && path === '/index.yaml') {
    sendFile(res, join(chartsDir, 'index.yaml'), 'application/x-yaml');
  } else if (req.method === 'GET' && archive.test(path)) {
    sendFile(res, join(chartsDir, archive.exec(path)?.[1] ?? ''), 'application/gzip');
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }
}

function fail(res: ServerResponse, err: unknown): void {
  const status = err instanceof HttpError ? err.status : 500;
  const message = err instanceof Error ? err.message : String(err);
  log(status >= 500 ? 'error' : 'info', 'failed', { status, error: message });
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: message }));
}

reindex()
  .then(() => {
    createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
      handle(req, res).catch((err) => fail(res, err));
    }).listen(Number(portArg), host, () =>
      log('info', 'listening', { host, port: Number(portArg), chartsDir }),
    );
  })
  .catch((err: Error) => {
    log('error', 'cannot index the charts folder', { error: err.message });
    process.exit(1);
  });
