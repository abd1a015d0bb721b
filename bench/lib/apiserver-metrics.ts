import { request } from 'node:https';
import type { BenchStack } from './stack.js';
import { diffCounts, isWrite, type RequestCounts, requestCounts } from './verbs.js';

/** apiserver_request_total at one moment, keyed "VERB resource" (group/resource/subresource). */
export type RequestTotals = Record<string, number>;

/** Server-side request counts of a phase: every client's requests, since the metric has no user label. */
export interface ServerRequests extends RequestCounts {
  /** Writes per resource ("apps/deployments", "coordination.k8s.io/leases"…), to tell the phase's own from background. */
  writesByResource: Record<string, number>;
}

const LINE = /^apiserver_request_total\{([^}]*)\}\s+([0-9.e+]+)$/;

/** Reads the API server's own request counters (GET /metrics with the admin token). */
export async function scrapeRequestTotals(api: BenchStack['apiserver']): Promise<RequestTotals> {
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(
      {
        host: api.host,
        port: api.port,
        path: '/metrics',
        ca: api.ca,
        headers: { Authorization: `Bearer ${api.token}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          res.statusCode === 200 ? resolve(text) : reject(new Error(`GET /metrics: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
  const totals: RequestTotals = {};
  for (const line of body.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      [...(m[1] as string).matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
    );
    // Our own scrapes are not part of any phase.
    if (labels.subresource === '/metrics') continue;
    const resource = [labels.group, labels.resource, labels.subresource].filter(Boolean).join('/');
    const key = `${labels.verb} ${resource || '(non-resource)'}`;
    totals[key] = (totals[key] ?? 0) + Number(m[2]);
  }
  return totals;
}

/** What the API server served between two scrapes, by verb and resource, and its writes by resource. */
export function serverRequests(before: RequestTotals, after: RequestTotals): ServerRequests {
  const byKey = diffCounts(before, after);
  const writesByResource: Record<string, number> = {};
  for (const [key, n] of Object.entries(byKey)) {
    const [verb, resource] = key.split(' ') as [string, string];
    if (isWrite(verb)) writesByResource[resource] = (writesByResource[resource] ?? 0) + n;
  }
  return { ...requestCounts(byKey), writesByResource };
}
