import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackContext } from './context.js';
import { ensureCredentials, readCredentials, stackUser } from './credentials.js';
import { basicAuth, httpsStatus } from './https-get.js';
import { isRunning, startDetached } from './processes.js';
import { ensureServingTls, servingTlsFiles } from './serving-tls.js';
import { waitUntil } from './wait.js';

/** Endpoint, trust and credentials of the local OCI registry (`sluice dev status`; never the password). */
export interface RegistryStatus {
  /** Base URL of the registry's HTTPS API. */
  url: string;
  /** What Helm calls it: `oci://host:port`, to which a repository path is appended. */
  ociUrl: string;
  /** The CA that signed its certificate. */
  caFile: string;
  /** JSON file (0600) with username, password and token. */
  credentialsFile: string;
  username: string;
  healthy: boolean;
}

/** Names of the processes this component starts. */
export const registryProcesses = ['registry'];

/** File locations of the registry inside the data dir. */
export function registryFiles(ctx: StackContext) {
  const dir = ctx.paths.registry;
  return {
    config: join(dir, 'config.yml'),
    htpasswd: join(dir, 'htpasswd'),
    credentials: join(dir, 'credentials.json'),
    storage: join(dir, 'storage'),
  };
}

/** The registry binary: Debian's docker-registry package puts it on PATH. */
export function registryBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v docker-registry']).toString().trim();
  } catch {
    throw new Error(
      "docker-registry is not installed: run scripts/bootstrap-tools.sh (it installs Debian's docker-registry)",
    );
  }
}

/** Host and port, as `docker` and `helm registry login` name a registry. */
function registryHost(ctx: StackContext): string {
  return `${ctx.config.host}:${ctx.config.ports.registry}`;
}

/** Writes the htpasswd entry: bcrypt is the only hash distribution accepts; the password goes in on stdin. */
function writeHtpasswd(file: string, username: string, password: string): void {
  const line = execFileSync('htpasswd', ['-n', '-i', '-B', username], { input: password }).toString().trim();
  writeFileSync(file, `${line}\n`, { mode: 0o600 });
}

/** Creates TLS files and credentials (once), writes the config, and starts the registry. */
export async function startRegistry(ctx: StackContext): Promise<void> {
  const bin = registryBinary();
  if (isRunning(ctx.paths, 'registry', bin)) {
    ctx.progress('registry: already running');
    return;
  }
  const files = registryFiles(ctx);
  const tls = ensureServingTls(ctx.paths.pki);
  mkdirSync(files.storage, { recursive: true });
  const creds = ensureCredentials(files.credentials);
  // Rewritten at each start, so it always matches credentials.json (which an operator may replace).
  writeHtpasswd(files.htpasswd, creds.username, creds.password);
  writeRegistryConfig(files.config, {
    storage: files.storage,
    addr: registryHost(ctx),
    secret: creds.token,
    tls,
    auth: `htpasswd:\n    realm: sluice-dev-registry\n    path: ${files.htpasswd}`,
  });
  ctx.progress(`registry: starting (log: ${ctx.paths.logFile('registry')})`);
  startDetached(ctx.paths, { name: 'registry', command: bin, args: ['serve', files.config] });
  await waitUntil('registry', () => registryAnswers(ctx), {
    timeoutMs: 30_000,
    progress: ctx.progress,
    logFile: ctx.paths.logFile('registry'),
    stillAlive: () => isRunning(ctx.paths, 'registry', bin),
  });
}

/** True when GET /v2/ with the stack's credentials answers 200 over TLS signed by the stack's CA. */
async function registryAnswers(ctx: StackContext): Promise<boolean> {
  const files = registryFiles(ctx);
  if (!existsSync(files.credentials)) return false;
  const { username, password } = readCredentials(files.credentials);
  const status = await httpsStatus(
    `https://${registryHost(ctx)}/v2/`,
    servingTlsFiles(ctx.paths.pki).caCert,
    {
      authorization: basicAuth(username, password),
    },
  );
  return status === 200;
}

/** Reports the registry's URLs, CA, credentials file and whether it answers with those credentials. */
export async function registryStatus(ctx: StackContext): Promise<RegistryStatus> {
  return {
    url: `https://${registryHost(ctx)}`,
    ociUrl: `oci://${registryHost(ctx)}`,
    caFile: servingTlsFiles(ctx.paths.pki).caCert,
    credentialsFile: registryFiles(ctx).credentials,
    username: existsSync(registryFiles(ctx).credentials)
      ? readCredentials(registryFiles(ctx).credentials).username
      : stackUser,
    healthy: await registryAnswers(ctx),
  };
}

/**
 * Writes a docker-registry config (0600: it holds the upload-signing secret) for the stack's registries, which
 * differ only in where they listen, store and how they authenticate (`auth`: the YAML under `auth:`).
 */
export function writeRegistryConfig(
  file: string,
  c: { storage: string; addr: string; secret: string; tls: { cert: string; key: string }; auth: string },
): void {
  writeFileSync(
    file,
    `version: 0.1
log:
  level: info
  formatter: json
storage:
  filesystem:
    rootdirectory: ${c.storage}
  delete:
    enabled: true
http:
  addr: ${c.addr}
  # Signs upload state; fixed per data dir so an upload survives a restart.
  secret: ${c.secret}
  tls:
    certificate: ${c.tls.cert}
    key: ${c.tls.key}
auth:
  ${c.auth}
`,
    { mode: 0o600 },
  );
}
