import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Options of the worker's status server. */
export interface StatusServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Names and states of the Temporal workers; healthy when every one is RUNNING. */
  workerStates: () => Record<string, string>;
}

/** A running status server and how to stop it. */
export interface StatusServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves GET /healthz (200 while every Temporal worker is running, 503 before they start and once they
 * drain, with each worker's state) and GET /metrics (the registry, Prometheus text format). It listens apart
 * from the webhook receiver: webhooks face Git hosts, metrics and probes stay inside the cluster.
 */
export function startStatusServer(opts: StatusServerOptions): Promise<StatusServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://status').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (path === '/healthz') {
      const workers = opts.workerStates();
      const states = Object.values(workers);
      const ok = states.length > 0 && states.every((s) => s === 'RUNNING');
      res
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(`${JSON.stringify({ status: ok ? 'ok' : 'unavailable', workers })}\n`);
      return;
    }
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': opts.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /healthz or /metrics\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${port}`,
        server,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
