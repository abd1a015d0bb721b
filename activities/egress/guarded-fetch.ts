// fetch for destinations a pipeline file chose (webhook steps, rollout webhooks, MetricTemplate and
// AlertProvider addresses), under the administrator's egress policy:
// - the address is checked where the connection is made: undici's connector resolves the name with our
//   lookup, which drops every address the policy refuses, so the socket connects to an address that was
//   checked (no second lookup, no DNS-rebinding window); an IP-literal host is checked before connecting;
// - a 3xx answer is an error, never followed;
// - the body is read through a counter that aborts the request past egress.maxResponseBytes.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import type { EgressConfig } from '../trust/config.js';
import { EgressError, EgressRefusedError, RedirectRefusedError, ResponseTooLargeError } from './errors.js';
import { compileEgressPolicy, type EgressPolicy, refusedDestination } from './policy.js';

/** A fetch whose destination and answer are held to the egress policy; its errors carry `permanent: true`. */
export type EgressFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Resolves a name to every address it has (dns.lookup with all: true; tests pass their own). */
export type Resolve = (
  hostname: string,
  options: { family: number; hints: number },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolve: Resolve = (hostname, options, callback) =>
  dnsLookup(hostname, { ...options, all: true }, callback);

/** A dns.lookup that answers only the addresses the policy allows for the host, else an EgressRefusedError. */
export function guardedLookup(policy: EgressPolicy, resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    const f = options.family;
    const family = f === 'IPv4' ? 4 : f === 'IPv6' ? 6 : Number(f) || 0;
    resolve(hostname, { family, hints: options.hints ?? 0 }, (err, all) => {
      if (err) return callback(err, '', 0);
      const refused: string[] = [];
      const allowed = all.filter((a) => {
        const why = policy.check(hostname, a.address);
        if (why) refused.push(why);
        return !why;
      });
      const first = allowed[0];
      if (!first) return callback(new EgressRefusedError(refusedDestination(hostname, refused)), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      return callback(null, first.address, first.family);
    });
  };
}

/** An undici Agent whose every connection goes to an address the policy allows. */
export function guardedAgent(policy: EgressPolicy, resolve?: Resolve): Agent {
  const connector = buildConnector({ lookup: guardedLookup(policy, resolve) });
  return new Agent({
    connect(opts, callback) {
      // net.connect skips the lookup for an IP literal (brackets already stripped): check it here.
      if (isIP(opts.hostname)) {
        const why = policy.check(opts.hostname, opts.hostname);
        if (why) return callback(new EgressRefusedError(refusedDestination(opts.hostname, [why])), null);
      }
      return connector(opts, callback);
    },
  });
}

const nullBodyStatus = new Set([101, 103, 204, 205, 304]);

/** The response with a body that errors (and cancels the request) past `limit` bytes. */
export function capResponse(res: Response, limit: number, host: string): Response {
  const init = { status: res.status, statusText: res.statusText, headers: new Headers([...res.headers]) };
  if (!res.body || nullBodyStatus.has(res.status)) {
    void res.body?.cancel().catch(() => undefined);
    return new Response(null, init);
  }
  const reader = res.body.getReader();
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  let seen = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (declared > limit) {
        await reader.cancel().catch(() => undefined);
        return controller.error(new ResponseTooLargeError(host, limit));
      }
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen > limit) {
        await reader.cancel().catch(() => undefined);
        return controller.error(new ResponseTooLargeError(host, limit));
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, init);
}

/** The fetch of one egress config: no redirects, bodies capped, destinations checked on connect. */
export function createEgressFetch(config: EgressConfig, resolve?: Resolve): EgressFetch {
  const agent = guardedAgent(compileEgressPolicy(config.allow), resolve);
  return async (input, init = {}) => {
    const url = new URL(String(input));
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new EgressRefusedError(
        `${url.protocol}// URLs are not allowed`,
        'use an http:// or https:// URL',
      );
    let res: Response;
    try {
      res = (await undiciFetch(url, {
        ...(init as object),
        redirect: 'manual',
        dispatcher: agent,
      })) as unknown as Response;
    } catch (err) {
      // fetch wraps connect errors in TypeError('fetch failed'): surface ours as themselves.
      const cause = (err as { cause?: unknown }).cause;
      throw cause instanceof EgressError ? cause : err;
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      throw new RedirectRefusedError(url.host, res.status);
    }
    return capResponse(res, config.maxResponseBytes, url.host);
  };
}

// One Agent (one connection pool) per egress config: activities of one worker share it.
const byConfig = new WeakMap<EgressConfig, EgressFetch>();

/** The egress-guarded fetch for a config (built once per config object). */
export function egressFetch(config: EgressConfig): EgressFetch {
  const known = byConfig.get(config);
  if (known) return known;
  const f = createEgressFetch(config);
  byConfig.set(config, f);
  return f;
}
