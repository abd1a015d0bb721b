// The web metric provider (Argo Rollouts' `web`): one HTTP request, its JSON answer reduced to a number by
// a jsonPath. The URL is the query; method, headers, body and path come from the MetricTemplate's spec.web.
// Every destination is a pipeline-file author's choice, so the provider only runs with the egress-guarded
// fetch the worker passes (no redirects, answers capped at egress.maxResponseBytes); header values never
// appear in a message, and when a request carried a secret neither does anything from the answer.
import { webhookHeaderProblem } from '../../core/steps/webhook.js';
import { MetricProviderUnreachable, MetricQueryError } from './errors.js';
import { type Shown, valueAtPath } from './json-value.js';
import type { MetricProvider, MetricProviderConfig, MetricValue, WebRequestSettings } from './types.js';

/** Options of the web provider beyond its MetricTemplate settings. */
export interface WebOptions {
  /** The egress-guarded fetch; rejections with `permanent: true` are MetricQueryErrors, never retried. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** Characters a header value may not hold (they would split the request). */
const BAD_HEADER_VALUE = /[\r\n\0]/;

/** "GET https://status.internal/api/v1/budget": what messages name (never the query string or headers). */
export function requestLabel(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.origin}${u.pathname}`;
  } catch {
    return `${method} (a URL that does not parse)`;
  }
}

/** Calls an HTTP endpoint and reads one number from its JSON answer. */
export class WebProvider implements MetricProvider {
  readonly name = 'web';
  readonly #request: WebRequestSettings;
  readonly #fetch: NonNullable<WebOptions['fetch']>;

  constructor(config: MetricProviderConfig, opts: WebOptions = {}) {
    if (!config.web)
      throw new MetricQueryError(
        "the web provider runs a MetricTemplate's spec.web: reference a web MetricTemplate from a Rollout's analysis",
      );
    // The destination is an author's: a plain fetch would skip the egress policy.
    if (!opts.fetch) throw new Error('the web provider needs the egress-guarded fetch');
    for (const h of config.web.headers) {
      // The loader refuses these too; the provider holds for templates that reach it any other way.
      const problem = webhookHeaderProblem(h.name);
      if (problem) throw new MetricQueryError(problem);
      if (BAD_HEADER_VALUE.test(h.value))
        throw new MetricQueryError(`header ${h.name} has a line break or NUL in its value`);
    }
    this.#request = config.web;
    this.#fetch = opts.fetch;
  }

  /** Sends the request to `url` and reads the number at the jsonPath. */
  async query(url: string): Promise<MetricValue> {
    const { method, headers, body, jsonPath, timeoutMs } = this.#request;
    const label = requestLabel(method, url);
    const sent: Record<string, string> = { accept: 'application/json' };
    for (const h of headers) sent[h.name.toLowerCase()] = h.value;
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(url, {
        method,
        headers: sent,
        ...(body !== undefined && { body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string }; permanent?: boolean };
      if (e.permanent === true) throw new MetricQueryError(`${label}: ${e.message}`);
      if (e.cause?.message === 'bad port')
        throw new MetricQueryError(`${label}: fetch refuses this port (a blocked port)`);
      // Never e.message of anything else: a fetch error may quote a header it refused.
      const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.name);
      throw new MetricProviderUnreachable(`${label} is unreachable: ${why}`);
    }
    if (res.status >= 500 || res.status === 429)
      throw new MetricProviderUnreachable(`${label} answered HTTP ${res.status}`);
    if (res.status >= 300)
      throw new MetricQueryError(
        `${label} answered HTTP ${res.status}${res.status === 401 || res.status === 403 ? ' (check the secret header and its grant)' : ''}`,
      );
    const shown: Shown = headers.some((h) => h.secret) ? 'redacted' : 'content';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const type = shown === 'content' ? ` (content-type ${res.headers.get('content-type') ?? 'none'})` : '';
      throw new MetricQueryError(`${label} answered HTTP ${res.status} with a body that is not JSON${type}`);
    }
    try {
      return { kind: 'value', value: valueAtPath(json, jsonPath, shown) };
    } catch (err) {
      throw new MetricQueryError(`${label}: ${(err as Error).message}`);
    }
  }
}
