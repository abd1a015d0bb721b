import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** A non-2xx answer of the API server, with its status code (410 = resourceVersion too old). */
export class HttpStatusError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

/**
 * GETs an API path as plain JSON (the wire form, as the watch delivers objects), authenticated by the kubeconfig.
 * The generated clients turn known kinds into model classes (timestamps become Dates, list metadata loses its
 * `continue` token), which would make listed and watched objects differ; so lists go through here. It uses the
 * kubeconfig's fetch options, i.e. the same credentials, read limiter and (in PooledKubeConfig) the watch pool.
 */
export async function getJson<T>(
  kc: KubeConfig,
  path: string,
  query: Record<string, string | undefined>,
  signal: AbortSignal,
): Promise<T> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  const init = await kc.applyToFetchOptions({});
  const headers: Record<string, string> = { Accept: 'application/json' };
  for (const [k, v] of init.headers as unknown as Iterable<[string, string]>) headers[k] = v;
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise<T>((resolve, reject) => {
    const req = send(url, { method: 'GET', headers, agent: init.agent as http.Agent, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          const reason = (() => {
            try {
              return (JSON.parse(body) as { message?: string }).message;
            } catch {
              return undefined;
            }
          })();
          reject(
            new HttpStatusError(status, `GET ${url.pathname}: HTTP ${status}${reason ? `: ${reason}` : ''}`),
          );
          return;
        }
        try {
          resolve(JSON.parse(body) as T);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
