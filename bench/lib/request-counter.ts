import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { requestKey } from './request-key.js';

/**
 * Counts this process's HTTP(S) requests to one host:port by request key ("GET apps/deployments"), from
 * Node's own `http.client.request.start` diagnostics channel: every client library (here
 * @kubernetes/client-node over node-fetch) is counted without wrapping it. Returns a reader of the totals.
 */
export function countRequestsTo(hostPort: string): () => Record<string, number> {
  const counts: Record<string, number> = {};
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    if (request.getHeader('host') !== hostPort) return;
    const key = requestKey(request.method, request.path);
    counts[key] = (counts[key] ?? 0) + 1;
  });
  return () => ({ ...counts });
}
