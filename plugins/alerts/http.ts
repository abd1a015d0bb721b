// One JSON POST for the webhook-style plugins, with statuses mapped to retryable or permanent errors.
import { AlertConfigError, AlertRejectedError, AlertUnavailableError } from './errors.js';

const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Retry-After as milliseconds (delta-seconds or an HTTP date), capped at 5 minutes; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS);
}

/** Whether an HTTP status is worth retrying: 408, 425, 429 and 5xx. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * POSTs a JSON body. `what` names the endpoint in errors ("discord provider ops"): the URL never
 * appears in an error, since Teams and Discord URLs carry their token. `fetchImpl` is the worker's
 * egress-guarded fetch; its permanent refusals (egress policy, redirect) are AlertConfigErrors.
 */
export async function postJson(
  what: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  fetchImpl: (url: string, init: RequestInit) => Promise<Response> = fetch,
): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    // The guarded fetch's messages name the host and address only, never the URL's path (the token).
    if ((err as { permanent?: unknown }).permanent === true)
      throw new AlertConfigError(`${what}: ${(err as Error).message}`);
    throw new AlertUnavailableError(`${what}: request failed (${networkCode(err)})`);
  }
  const text = await res.text().catch(() => '');
  if (res.ok) return { status: res.status, text };
  if (retryableStatus(res.status)) {
    const after = parseRetryAfter(res.headers.get('retry-after')) ?? retryAfterFromBody(text);
    throw new AlertUnavailableError(`${what}: HTTP ${res.status}`, after);
  }
  throw new AlertRejectedError(`${what}: HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

// Discord puts retry_after (seconds) in the JSON body of a 429 as well as in the header.
function retryAfterFromBody(text: string): number | undefined {
  try {
    const n = (JSON.parse(text) as { retry_after?: unknown }).retry_after;
    return typeof n === 'number' ? parseRetryAfter(String(n)) : undefined;
  } catch {
    return undefined;
  }
}

// The error code of a failed fetch (ECONNREFUSED, TimeoutError, …), never its message: it may quote the URL.
function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; name?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' ? name : 'network error';
}

/** Checks that a URL is http(s), with an error that does not quote it. */
export function requireHttpUrl(what: string, url: string | undefined): string {
  if (!url) throw new AlertConfigError(`${what}: no URL configured (set address or secretRef)`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AlertConfigError(`${what}: the URL is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new AlertConfigError(`${what}: the URL must be http:// or https://`);
  return url;
}
