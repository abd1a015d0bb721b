// Serves Git repositories over smart HTTP by running `git http-backend` as a CGI program, so clients
// (isomorphic-git, git) clone, fetch and push through the real Git protocol. Repositories under
// /private/ require HTTP Basic credentials listed in the users file ("user:password" per line).
// Usage: node git-http-server.js <host> <port> <projectRoot> <usersFile>
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { log, sameSecret } from './server-process.js';

const [host = '127.0.0.1', portArg = '8180', projectRoot = '.', usersFile = ''] = process.argv.slice(2);

/** Returns the authenticated user, undefined when credentials are missing or wrong. */
function authenticate(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return undefined;
  const given = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const users = existsSync(usersFile) ? readFileSync(usersFile, 'utf8').split('\n').filter(Boolean) : [];
  for (const line of users) if (sameSecret(line.trim(), given)) return given.split(':')[0];
  return undefined;
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  let user: string | undefined;
  if (url.pathname.startsWith('/private/')) {
    user = authenticate(req);
    if (!user) {
      res
        .writeHead(401, { 'www-authenticate': 'Basic realm="sluice-dev-git"' })
        .end('authentication required\n');
      log('info', 'denied', { path: url.pathname });
      return;
    }
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    // Pushes are allowed: tests and the demo commit to these repositories over HTTP.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: 'true',
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
    REMOTE_USER: user ?? '',
    HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
    GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
  };
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(cgi.stdin);
  let headerBuf = Buffer.alloc(0);
  let headersDone = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    headerBuf = Buffer.concat([headerBuf, chunk]);
    const end = headerBuf.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of headerBuf.subarray(0, end).toString('latin1').split('\r\n')) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(headerBuf.subarray(end + 4));
  });
  let stderr = '';
  cgi.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  cgi.on('close', (code) => {
    if (!headersDone) res.writeHead(502).write(stderr || 'git http-backend produced no response\n');
    res.end();
    log(code === 0 ? 'info' : 'warn', 'request', {
      method: req.method,
      path: url.pathname,
      code,
      stderr: stderr.trim() || undefined,
    });
  });
}

createServer(handle).listen(Number(portArg), host, () =>
  log('info', 'listening', { host, port: Number(portArg), projectRoot }),
);
