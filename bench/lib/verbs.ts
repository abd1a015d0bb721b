import { verbOf } from './request-key.js';

/** API requests of one phase: reads, writes, and the count of each request key ("PATCH apps/deployments"). */
export interface RequestCounts {
  reads: number;
  writes: number;
  byVerb: Record<string, number>;
  byKey: Record<string, number>;
}

// The API server's metric names server-side apply "APPLY"; clients see it as an HTTP PATCH.
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'APPLY', 'DELETE', 'DELETECOLLECTION']);

/** Whether an HTTP method or API server verb changes state. */
export function isWrite(verb: string): boolean {
  return WRITES.has(verb.toUpperCase());
}

/** Totals per request key folded into verbs, reads and writes. */
export function requestCounts(byKey: Record<string, number>): RequestCounts {
  const byVerb: Record<string, number> = {};
  let reads = 0;
  let writes = 0;
  for (const [key, n] of Object.entries(byKey)) {
    const verb = verbOf(key);
    byVerb[verb] = (byVerb[verb] ?? 0) + n;
    if (isWrite(verb)) writes += n;
    else reads += n;
  }
  return { reads, writes, byVerb, byKey };
}

/** after − before, per key, dropping keys that did not change. */
export function diffCounts(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(after)) {
    const d = n - (before[key] ?? 0);
    if (d !== 0) out[key] = d;
  }
  return out;
}
