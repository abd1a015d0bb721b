// A registry token service (distribution's "Token Authentication Specification", what Docker Hub's
// auth.docker.io, ghcr.io and Harbor run) for the stack's token-auth registry, over HTTPS with the serving CA.
// GET /token?service=…&scope=repository:<name>:<actions>… answers {token, access_token, expires_in, issued_at}:
// an RS256 JWT whose `x5c` header carries the signing certificate, which is the registry's rootcertbundle.
// The stack's credentials (basic auth) get pull and push on every repository; wrong credentials get 401; no
// credentials get pull on repositories under `public/` only (and a token with no access elsewhere, as Docker
// Hub does), so both anonymous and authenticated pulls can be tested.
// Usage: node token-server.js <host> <port> <credentialsFile> <certFile> <keyFile> <signingKey> <signingCert> <service> <issuer>
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { readCredentials } from './credentials.js';
import { log, sameSecret } from './server-process.js';

const [
  host = '127.0.0.1',
  portArg = '15443',
  credentialsFile = '',
  certFile = '',
  keyFile = '',
  signingKeyFile = '',
  signingCertFile = '',
  service = 'sluice-dev-token-registry',
  issuer = 'sluice-dev-token-server',
] = process.argv.slice(2);

/** Lifetime of a token; short, so the client's refresh is exercised in long test runs. */
const lifetimeSeconds = 300;
const signingKey = readFileSync(signingKeyFile, 'utf8');
const x5c = [new X509Certificate(readFileSync(signingCertFile)).raw.toString('base64')];

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** "user", undefined for an anonymous request, or false for wrong credentials (read per request, so a rotation applies). */
function account(req: IncomingMessage): string | undefined | false {
  const header = req.headers.authorization;
  if (!header) return undefined;
  if (!header.startsWith('Basic ')) return false;
  const creds = readCredentials(credentialsFile);
  return sameSecret(
    Buffer.from(header.slice(6), 'base64').toString('utf8'),
    `${creds.username}:${creds.password}`,
  )
    ? creds.username
    : false;
}

/** One access entry of the token: what was asked, cut down to what the account may have. */
interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** Parses `repository:name:pull,push` (the name may hold ':' for a port, so split at the first and last). */
function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

function grant(asked: Access, user: string | undefined): Access {
  if (asked.type !== 'repository') return { ...asked, actions: [] };
  const allowed = user ? ['pull', 'push', 'delete', '*'] : asked.name.startsWith('public/') ? ['pull'] : [];
  return { ...asked, actions: asked.actions.filter((a) => allowed.includes(a)) };
}

/** An RS256 JWT with the spec's claims, signed by the key whose certificate the registry trusts. */
function sign(sub: string, access: Access[]): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c };
  const claims = {
    iss: issuer,
    sub,
    aud: service,
    exp: now + lifetimeSeconds,
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(signingKey);
  return `${input}.${b64url(signature)}`;
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'https://localhost');
  if (url.pathname === '/healthz')
    return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  if (req.method !== 'GET' || url.pathname !== '/token')
    return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  const user = account(req);
  if (user === false) {
    log('info', 'denied', { scope: url.searchParams.getAll('scope') });
    return void res
      .writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Basic realm="sluice-dev-token"',
      })
      .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'wrong credentials' }] }));
  }
  if (url.searchParams.get('service') !== service)
    return void res
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ code: 'DENIED', message: `unknown service; this is ${service}` }] }));
  const access = url.searchParams
    .getAll('scope')
    .flatMap((s) => s.split(' '))
    .map(parseScope)
    .filter((a): a is Access => a !== undefined)
    .map((a) => grant(a, user));
  const token = sign(user ?? '', access);
  log('info', 'issued', { sub: user ?? 'anonymous', access });
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      token,
      access_token: token,
      expires_in: lifetimeSeconds,
      issued_at: new Date().toISOString(),
    }),
  );
}

createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
  try {
    handle(req, res);
  } catch (err) {
    log('error', 'failed', { error: (err as Error).message });
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: (err as Error).message }));
  }
}).listen(Number(portArg), host, () => log('info', 'listening', { host, port: Number(portArg), service }));
