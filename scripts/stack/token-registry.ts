import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, fetch } from 'undici';
import type { StackContext } from './context.js';
import { ensureCredentials, readCredentials, stackUser } from './credentials.js';
import { basicAuth, httpsStatus } from './https-get.js';
import { ensureCa } from './openssl-ca.js';
import { isRunning, startDetached } from './processes.js';
import { registryBinary, writeRegistryConfig } from './registry.js';
import { ensureServingTls, servingTlsFiles } from './serving-tls.js';
import { waitUntil } from './wait.js';

/** Endpoint, token service, trust and credentials of the token-auth registry (never the password). */
export interface TokenRegistryStatus {
  /** Base URL of the registry's HTTPS API. */
  url: string;
  /** `oci://host:port`; repositories under `public/` can be pulled without credentials. */
  ociUrl: string;
  /** The token service (the realm of the registry's Bearer challenge). */
  realm: string;
  caFile: string;
  /** JSON file (0600) with username and password (the token service's basic auth). */
  credentialsFile: string;
  username: string;
  healthy: boolean;
}

/** Names of the processes this component starts. */
export const tokenRegistryProcesses = ['token-server', 'token-registry'];

/** The `service` of the registry's challenges and the `aud` of its tokens. */
const service = 'sluice-dev-token-registry';
/** The `iss` of the tokens, which the registry checks. */
const issuer = 'sluice-dev-token-server';

/** File locations of the token registry and its token service inside the data dir. */
export function tokenRegistryFiles(ctx: StackContext) {
  const dir = join(ctx.config.dataDir, 'token-registry');
  return {
    dir,
    config: join(dir, 'config.yml'),
    credentials: join(dir, 'credentials.json'),
    storage: join(dir, 'storage'),
    /** Self-signed certificate and key that sign tokens; the certificate is the registry's rootcertbundle. */
    signingCert: join(dir, 'token-signing.crt'),
    signingKey: join(dir, 'token-signing.key'),
  };
}

const registryHost = (ctx: StackContext) => `${ctx.config.host}:${ctx.config.ports.tokenRegistry}`;
const realmUrl = (ctx: StackContext) => `https://${ctx.config.host}:${ctx.config.ports.tokenServer}/token`;

/** The compiled token server script (run with this Node, from dist or beside this file). */
function serverScript(): string {
  for (const rel of ['./token-server.js', '../../dist/scripts/stack/token-server.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('dist/scripts/stack/token-server.js is missing: run `npm run build` first');
}

/** Starts the token service and then a second docker-registry that trusts only its tokens. */
export async function startTokenRegistry(ctx: StackContext): Promise<void> {
  const files = tokenRegistryFiles(ctx);
  const tls = ensureServingTls(ctx.paths.pki);
  mkdirSync(files.storage, { recursive: true, mode: 0o700 });
  const creds = ensureCredentials(files.credentials);
  ensureCa(files.dir, {
    cert: files.signingCert,
    key: files.signingKey,
    commonName: 'sluice-dev-token-signer',
  });
  if (isRunning(ctx.paths, 'token-server', process.execPath)) ctx.progress('token-server: already running');
  else {
    ctx.progress(`token-server: starting (log: ${ctx.paths.logFile('token-server')})`);
    startDetached(ctx.paths, {
      name: 'token-server',
      command: process.execPath,
      args: [
        serverScript(),
        ctx.config.host,
        String(ctx.config.ports.tokenServer),
        files.credentials,
        tls.cert,
        tls.key,
        files.signingKey,
        files.signingCert,
        service,
        issuer,
      ],
    });
    await waitUntil(
      'token-server',
      () => httpsStatus(tokenServerHealth(ctx), tls.caCert).then((s) => s === 200),
      {
        timeoutMs: 30_000,
        progress: ctx.progress,
        logFile: ctx.paths.logFile('token-server'),
        stillAlive: () => isRunning(ctx.paths, 'token-server', process.execPath),
      },
    );
  }
  const bin = registryBinary();
  if (isRunning(ctx.paths, 'token-registry', bin)) {
    ctx.progress('token-registry: already running');
    return;
  }
  // distribution 2.8 checks the token's x5c chain against rootcertbundle (a kid would have to be libtrust's
  // key fingerprint); the signing certificate is self-signed, so the bundle is that certificate alone.
  writeRegistryConfig(files.config, {
    storage: files.storage,
    addr: registryHost(ctx),
    secret: creds.token,
    tls,
    auth: `token:\n    realm: ${realmUrl(ctx)}\n    service: ${service}\n    issuer: ${issuer}\n    rootcertbundle: ${files.signingCert}`,
  });
  ctx.progress(`token-registry: starting (log: ${ctx.paths.logFile('token-registry')})`);
  startDetached(ctx.paths, { name: 'token-registry', command: bin, args: ['serve', files.config] });
  await waitUntil('token-registry', () => tokenRegistryAnswers(ctx), {
    timeoutMs: 30_000,
    progress: ctx.progress,
    logFile: ctx.paths.logFile('token-registry'),
    stillAlive: () => isRunning(ctx.paths, 'token-registry', bin),
  });
}

const tokenServerHealth = (ctx: StackContext) =>
  `https://${ctx.config.host}:${ctx.config.ports.tokenServer}/healthz`;

/** True when a token for the stack's credentials opens the registry's /v2/ (both processes, trust and keys agree). */
async function tokenRegistryAnswers(ctx: StackContext): Promise<boolean> {
  const files = tokenRegistryFiles(ctx);
  const ca = servingTlsFiles(ctx.paths.pki).caCert;
  if (!existsSync(files.credentials) || !existsSync(ca)) return false;
  const { username, password } = readCredentials(files.credentials);
  const dispatcher = new Agent({ connect: { ca: readFileSync(ca, 'utf8') } });
  try {
    const res = await fetch(`${realmUrl(ctx)}?service=${service}`, {
      headers: { authorization: basicAuth(username, password) },
      dispatcher,
      signal: AbortSignal.timeout(2000),
    });
    if (!res.ok) return false;
    const { token } = (await res.json()) as { token?: string };
    const v2 = `https://${registryHost(ctx)}/v2/`;
    return (await httpsStatus(v2, ca, { authorization: `Bearer ${token}` })) === 200;
  } catch {
    return false;
  } finally {
    await dispatcher.close();
  }
}

/** Reports the registry's URLs, realm, CA, credentials file and whether a token from the realm opens it. */
export async function tokenRegistryStatus(ctx: StackContext): Promise<TokenRegistryStatus> {
  const { credentials } = tokenRegistryFiles(ctx);
  return {
    url: `https://${registryHost(ctx)}`,
    ociUrl: `oci://${registryHost(ctx)}`,
    realm: realmUrl(ctx),
    caFile: servingTlsFiles(ctx.paths.pki).caCert,
    credentialsFile: credentials,
    username: existsSync(credentials) ? readCredentials(credentials).username : stackUser,
    healthy: await tokenRegistryAnswers(ctx),
  };
}
