// The guarded fetch against real local servers: a "metadata server" on 127.0.0.2 (Linux routes all of
// 127/8 to lo) that must never be reached, and a receiver on 127.0.0.1 that the policy allows.

import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EgressRefusedError,
  RedirectRefusedError,
  ResponseTooLargeError,
} from '../../../../activities/egress/errors.js';
import { createEgressFetch, egressFetch, type Resolve } from '../../../../activities/egress/guarded-fetch.js';

const TOKEN = 'metadata-token-7f3a';
let metadata: Server;
let receiver: Server;
let metaHits = 0;
let metaPort = 0;
let port = 0;

async function listen(server: Server, host: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  metadata = createServer((_req, res) => {
    metaHits++;
    res.end(TOKEN);
  });
  metaPort = await listen(metadata, '127.0.0.2');
  receiver = createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: `http://127.0.0.2:${metaPort}/` });
      return res.end();
    }
    if (req.url === '/big') {
      // 2 MiB in 64 KiB chunks, no content-length.
      res.writeHead(200);
      let sent = 0;
      const more = () => {
        while (sent < 32) {
          sent++;
          if (!res.write(Buffer.alloc(65536, 97))) return res.once('drain', more);
        }
        res.end();
      };
      return more();
    }
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      return res.write('x');
    }
    if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000);
    if (req.url === '/empty') {
      res.writeHead(204);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, host: req.headers.host }));
  });
  port = await listen(receiver, '127.0.0.1');
});

afterAll(async () => {
  for (const s of [metadata, receiver]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const config = { allow: ['127.0.0.1/32'], maxResponseBytes: 256 * 1024 };
const guarded = createEgressFetch(config);
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

/** A resolver answering fixed addresses per name, counting its calls. */
function fakeDns(answers: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve: Resolve = (hostname, _options, callback) => {
    calls.push(hostname);
    const list = answers[hostname];
    if (!list) return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(
      null,
      list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  return { resolve, calls };
}

describe('egress-guarded fetch', () => {
  it('reaches an allowed address and answers the body', async () => {
    const res = await guarded(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    const empty = await guarded(`http://127.0.0.1:${port}/empty`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('refuses an IP literal outside the policy before connecting, IPv4-mapped IPv6 forms too', async () => {
    const before = metaHits;
    for (const url of [
      `http://127.0.0.2:${metaPort}/latest/meta-data`,
      `http://[::ffff:127.0.0.2]:${metaPort}/`,
      `http://[::ffff:7f00:2]:${metaPort}/`,
      `http://2130706434:${metaPort}/`, // 127.0.0.2 as one number; the URL parser normalises it
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    ]) {
      const err = await rejection(guarded(url));
      expect(err, url).toBeInstanceOf(EgressRefusedError);
      expect(err?.message).toMatch(
        /^egress refused: .*\((an IPv6 form of 127\.0\.0\.2: )?(loopback|link-local)/,
      );
      expect(err?.message).toContain('egress.allow');
      expect(err?.message).not.toContain('meta-data');
    }
    expect(metaHits).toBe(before);
  });

  it('checks the addresses a name resolves to and connects only to one it checked (one lookup, no rebinding window)', async () => {
    const dns = fakeDns({
      'meta.test': ['127.0.0.2'],
      'mixed.test': ['127.0.0.2', '127.0.0.1'],
      'hooks.test': ['127.0.0.1'],
    });
    const f = createEgressFetch(config, dns.resolve);
    const before = metaHits;
    const refused = await rejection(f(`http://meta.test:${metaPort}/`));
    expect(refused).toBeInstanceOf(EgressRefusedError);
    expect(refused?.message).toMatch(
      /^egress refused: meta\.test resolves to 127\.0\.0\.2 \(loopback\), which the egress policy denies; an administrator can allow it with egress\.allow/,
    );
    // Of a mixed answer only the allowed address is used: the receiver answers, the metadata server never.
    const mixed = await f(`http://mixed.test:${port}/`);
    expect(await mixed.json()).toMatchObject({ ok: true, host: `mixed.test:${port}` });
    // https goes through the same lookup (TLS connects over the checked socket).
    expect(await rejection(f(`https://meta.test:${metaPort}/`))).toBeInstanceOf(EgressRefusedError);
    expect(await rejection(guarded(`https://127.0.0.2:${metaPort}/`))).toBeInstanceOf(EgressRefusedError);
    const ok = await f(`http://hooks.test:${port}/`);
    expect(ok.status).toBe(200);
    expect(dns.calls.filter((h) => h === 'hooks.test')).toHaveLength(1);
    expect(metaHits).toBe(before);
  });

  it('lets a host the administrator named through whatever it resolves to', async () => {
    const dns = fakeDns({ 'hooks.internal': ['127.0.0.2'] });
    const f = createEgressFetch({ ...config, allow: ['hooks.internal'] }, dns.resolve);
    expect(await (await f(`http://hooks.internal:${metaPort}/`)).text()).toBe(TOKEN);
  });

  it('never follows a redirect', async () => {
    const before = metaHits;
    const err = await rejection(guarded(`http://127.0.0.1:${port}/redirect`));
    expect(err).toBeInstanceOf(RedirectRefusedError);
    expect(err?.message).toBe(
      `127.0.0.1:${port} answered HTTP 302: redirects are not followed (point the URL at the final address)`,
    );
    expect(metaHits).toBe(before);
  });

  it('aborts an answer over maxResponseBytes, streamed or declared', async () => {
    const res = await guarded(`http://127.0.0.1:${port}/big`);
    const err = await rejection(res.text());
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err?.message).toBe(
      `the answer of 127.0.0.1:${port} is larger than egress.maxResponseBytes (262144 bytes): the request was aborted`,
    );
    const declared = await guarded(`http://127.0.0.1:${port}/declared`);
    expect(await rejection(declared.arrayBuffer())).toBeInstanceOf(ResponseTooLargeError);
  });

  it('keeps the caller timeout, and refuses schemes other than http(s)', async () => {
    const slow = await rejection(
      guarded(`http://127.0.0.1:${port}/slow`, { signal: AbortSignal.timeout(100) }),
    );
    expect(slow?.name).toBe('TimeoutError');
    const file = await rejection(guarded('file:///etc/passwd'));
    expect(file).toBeInstanceOf(EgressRefusedError);
    expect(file?.message).toBe(
      'egress refused: file:// URLs are not allowed; use an http:// or https:// URL',
    );
  });

  it('refuses loopback by default, and shares one fetch (one pool) per config object', async () => {
    const defaults = { allow: [], maxResponseBytes: 1024 };
    expect(await rejection(egressFetch(defaults)(`http://localhost:${port}/`))).toBeInstanceOf(
      EgressRefusedError,
    );
    expect(egressFetch(defaults)).toBe(egressFetch(defaults));
    expect(egressFetch(defaults)).not.toBe(egressFetch({ ...defaults }));
  });
});
