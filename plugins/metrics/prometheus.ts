import { MetricProviderUnreachable, MetricQueryError, MultipleValuesError } from './errors.js';
import type { MetricProvider, MetricProviderConfig, MetricValue } from './types.js';

/** Default time a query may take, connection included. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/** Options of the Prometheus provider beyond its MetricTemplate settings. */
export interface PrometheusOptions {
  timeoutMs?: number;
  /**
   * The fetch to query with (default: the global one). The worker passes its egress-guarded fetch for
   * addresses a MetricTemplate chose; a rejection with `permanent: true` (egress refused, a redirect,
   * an answer over the size limit) is a MetricQueryError, never retried.
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

type Sample = [number, string];
interface ApiResponse {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

/** Reduces a successful /api/v1/query answer to one number or no data. */
export function parseQueryResult(data: ApiResponse['data']): MetricValue {
  const type = data?.resultType;
  let sample: Sample | undefined;
  if (type === 'scalar') sample = data?.result as Sample;
  else if (type === 'vector') {
    const series = (data?.result ?? []) as { value: Sample }[];
    if (series.length === 0) return { kind: 'noData', reason: 'query returned no series' };
    if (series.length > 1) throw new MultipleValuesError(series.length);
    sample = series[0]?.value;
  } else
    throw new MetricQueryError(
      `query returned a ${type ?? 'missing'} result, expected a scalar or a single-sample vector`,
    );
  const value = parseSampleValue(sample?.[1]);
  // 0/0 (no requests in the window) is NaN: no data, never a pass (Flagger treats it the same).
  if (Number.isNaN(value)) return { kind: 'noData', reason: 'query returned NaN (no samples in the window)' };
  return { kind: 'value', value };
}

/** Prometheus writes sample values as strings, infinities as "+Inf" and "-Inf". */
function parseSampleValue(text: string | undefined): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return text === undefined || text.trim() === '' ? Number.NaN : Number(text);
}

/** The Authorization header for the credentials, if any. */
export function authorizationHeader(credentials: MetricProviderConfig['credentials']): string | undefined {
  if (credentials?.bearerToken) return `Bearer ${credentials.bearerToken}`;
  const basic = credentials?.basic;
  if (basic) return `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
  return undefined;
}

/** Splits user:password out of an address (fetch refuses URLs with credentials); the rest is safe to print. */
export function splitAddress(address: string): {
  base: string;
  basic?: { username: string; password: string };
} {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new MetricQueryError('prometheus address is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new MetricQueryError(`prometheus address must be http:// or https://, not ${url.protocol}//`);
  const basic = url.username
    ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
    : undefined;
  url.username = '';
  url.password = '';
  return { base: url.toString().replace(/\/+$/, ''), basic };
}

/** Runs instant queries against the Prometheus HTTP API (`GET /api/v1/query`). */
export class PrometheusProvider implements MetricProvider {
  readonly name = 'prometheus';
  /** The address without credentials: the only form that appears in messages. */
  readonly address: string;
  readonly #authorization: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: NonNullable<PrometheusOptions['fetch']>;

  constructor(config: MetricProviderConfig, opts: PrometheusOptions = {}) {
    if (!config.address) throw new MetricQueryError('prometheus provider needs an address');
    const { base, basic } = splitAddress(config.address);
    this.address = base;
    this.#authorization = authorizationHeader(config.credentials ?? (basic ? { basic } : undefined));
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.#fetch = opts.fetch ?? fetch;
  }

  async query(query: string): Promise<MetricValue> {
    const url = `${this.address}/api/v1/query?${new URLSearchParams({ query })}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#authorization) headers.authorization = this.#authorization;
    let res: Response;
    let body: string;
    try {
      res = await this.#fetch(url, { headers, signal: AbortSignal.timeout(this.#timeoutMs) });
      body = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string }; permanent?: boolean };
      if (e.permanent === true) throw new MetricQueryError(`prometheus at ${this.address}: ${e.message}`);
      // fetch refuses the ports the Fetch standard blocks (e.g. 1, 6000): no retry can help.
      if (e.cause?.message === 'bad port')
        throw new MetricQueryError(`prometheus at ${this.address}: fetch refuses this port (a blocked port)`);
      const why =
        e.name === 'TimeoutError'
          ? `no answer within ${this.#timeoutMs} ms`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      throw new MetricProviderUnreachable(`prometheus at ${this.address} is unreachable: ${why}`);
    }
    const parsed = parseBody(body);
    if (res.status >= 500)
      throw new MetricProviderUnreachable(
        `prometheus at ${this.address} answered ${res.status}${errorText(parsed)}`,
      );
    if (res.status === 401 || res.status === 403)
      throw new MetricQueryError(
        `prometheus at ${this.address} refused the credentials (HTTP ${res.status})`,
      );
    if (!res.ok || parsed?.status !== 'success')
      throw new MetricQueryError(`prometheus rejected the query (HTTP ${res.status})${errorText(parsed)}`);
    return parseQueryResult(parsed.data);
  }
}

/** Longest part of an answer's `error` that a message (and so workflow history) carries. */
export const MAX_ERROR_CHARS = 300;

// ": <the answer's error>", clipped: the address may be a MetricTemplate's, and the text ends up in history.
function errorText(parsed: ApiResponse | undefined): string {
  const error = typeof parsed?.error === 'string' ? parsed.error : '';
  if (!error) return '';
  return `: ${error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}… (clipped)` : error}`;
}

function parseBody(body: string): ApiResponse | undefined {
  try {
    return JSON.parse(body) as ApiResponse;
  } catch {
    return undefined;
  }
}
