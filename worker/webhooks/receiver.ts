import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pushedBranch, usableSecret, verifyWebhook } from './signature.js';

/** What the receiver knows about a watched repository. */
export interface WebhookTarget {
  /** The watched branch; pushes to other branches are acknowledged and ignored. */
  branch?: string;
  /** Resolves the repository's webhook secret (from the secret store; never logged); undefined or empty refuses all. */
  secret: () => Promise<string | undefined>;
  /** Where the secret comes from, for the warning about an empty one (e.g. `secret "shop-hook", key "secret"`). */
  secretSource?: string;
}

/** Options of the push-webhook receiver. */
export interface WebhookReceiverOptions {
  host?: string;
  port?: number;
  /** Larger bodies get 413 (default 1 MiB; GitHub caps its payloads at 25 MB, pushes are far smaller). */
  maxBodyBytes?: number;
  target: (repoId: string) => WebhookTarget | undefined;
  /** Called once per verified push; wakes the repository's watcher workflow. */
  onPush: (repoId: string) => Promise<void>;
  log?: (level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
}

/** A running receiver and how to stop it. */
export interface WebhookReceiver {
  url: string;
  server: Server;
  close(): Promise<void>;
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.destroy();
        reject(new TooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Serves POST /webhooks/git/<repoId>. Answers 401 to a missing or wrong signature and starts nothing,
 * 413 to an oversized body, 404 to an unknown repository, 202 when the watcher was woken.
 */
export function startWebhookReceiver(opts: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  const log = opts.log ?? (() => {});
  const warnedEmpty = new Set<string>();
  const reply = (res: ServerResponse, status: number, message: string) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify({ message })}\n`);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (req.method === 'GET' && url.pathname === '/healthz') return reply(res, 200, 'ok');
    const match = /^\/webhooks\/git\/([\w.-]+)$/.exec(url.pathname);
    if (!match?.[1]) return reply(res, 404, 'not found: POST /webhooks/git/<repository id>');
    if (req.method !== 'POST') return reply(res, 405, 'use POST');
    const repoId = match[1];
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (err) {
      if (err instanceof TooLarge) {
        log('warn', 'webhook body too large', { repoId, limit });
        return reply(res, 413, `body larger than ${limit} bytes`);
      }
      throw err;
    }
    const target = opts.target(repoId);
    if (!target) return reply(res, 404, `no watched repository "${repoId}"`);
    const secret = await target.secret();
    // An empty secret would verify an empty GitLab token or an HMAC anyone can compute: refuse, and say so once.
    if (secret !== undefined && !usableSecret(secret) && !warnedEmpty.has(repoId)) {
      warnedEmpty.add(repoId);
      log('warn', 'webhook secret is empty: every webhook for this repository is refused', {
        repoId,
        ...(target.secretSource ? { secret: target.secretSource } : {}),
        hint: 'set a non-empty webhook secret (a long random string, also given to the Git host)',
      });
    }
    const kind = usableSecret(secret) ? verifyWebhook(req.headers, body, secret) : undefined;
    if (!kind) {
      log('warn', 'webhook signature missing or invalid', { repoId });
      return reply(
        res,
        401,
        'missing or invalid signature (X-Hub-Signature-256, X-Gitlab-Token or X-Sluice-Signature)',
      );
    }
    if (req.headers['x-github-event'] === 'ping') return reply(res, 200, 'pong');
    const branch = pushedBranch(body);
    if (branch && target.branch && branch !== target.branch) {
      return reply(res, 202, `ignored: push to ${branch}, watching ${target.branch}`);
    }
    await opts.onPush(repoId);
    log('info', 'webhook accepted', { repoId, kind });
    return reply(res, 202, 'accepted');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      log('warn', 'webhook handling failed', { error: err.message });
      if (!res.headersSent) reply(res, 500, 'internal error; see the worker log');
    });
  });
  return new Promise((resolve) => {
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const { address, port } = server.address() as AddressInfo;
      resolve({
        url: `http://${address}:${port}`,
        server,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
