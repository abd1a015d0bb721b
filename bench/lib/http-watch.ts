import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/** One HTTP request that took longer than the threshold, or has not finished yet. */
export interface SlowRequest {
  host: string;
  method: string;
  path: string;
  ms: number;
  finished: boolean;
}

/**
 * Watches this process's outgoing HTTP(S) requests (Node's diagnostics channels): which ones took
 * `slowMs` or more or have not finished, and how many new TCP connections were opened per host.
 */
export function watchHttp(slowMs: number) {
  const running = new Map<ClientRequest, { start: number; host: string }>();
  const slow: SlowRequest[] = [];
  const connections: Record<string, number> = {};
  const seen = new WeakSet<object>();
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    const host = String(request.getHeader('host'));
    const start = performance.now();
    // A watch is meant to stay open for minutes: its connection counts, its duration is not slowness.
    const longLived = request.path.includes('watch=true');
    if (!longLived) running.set(request, { start, host });
    const count = (socket: object) => {
      if (seen.has(socket)) return; // reused (keep-alive)
      seen.add(socket);
      connections[host] = (connections[host] ?? 0) + 1;
    };
    // The channel fires when the request is ended, often after its socket was assigned.
    if (request.socket) count(request.socket);
    else request.once('socket', count);
    request.once('close', () => {
      running.delete(request);
      const ms = performance.now() - start;
      if (ms >= slowMs && !longLived)
        slow.push({ host, method: request.method, path: request.path, ms, finished: true });
    });
  });
  return {
    /** New connections (sockets not seen before) so far, by host. */
    connections: () => ({ ...connections }),
    /** Requests that took `slowMs` or more so far, and those running that long now. */
    slow(): SlowRequest[] {
      const now = performance.now();
      const stuck = [...running.entries()]
        .filter(([, r]) => now - r.start >= slowMs)
        .map(([req, r]) => ({
          host: r.host,
          method: req.method,
          path: req.path,
          ms: now - r.start,
          finished: false,
        }));
      return [...slow, ...stuck];
    },
  };
}
