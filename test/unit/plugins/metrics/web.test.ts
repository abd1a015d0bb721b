// The web metric provider against real local HTTP servers (the endpoints under test), through the real
// egress-guarded fetch: a receiver on 127.0.0.1 that the policy allows, and a "metadata server" on
// 127.0.0.2 (Linux routes all of 127/8 to lo) that it does not.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEgressFetch } from '../../../../activities/egress/guarded-fetch.js';
import { MetricProviderUnreachable, MetricQueryError } from '../../../../plugins/metrics/errors.js';
import { createMetricProvider } from '../../../../plugins/metrics/factory.js';
import type { WebRequestSettings } from '../../../../plugins/metrics/types.js';
import { requestLabel, WebProvider } from '../../../../plugins/metrics/web.js';
import { type Receiver, startReceiver } from '../../../../scripts/stack/simulators/http-receiver.js';

const SECRET = 'Bearer s3cr3t-web-token-91ab';
const MAX_RESPONSE_BYTES = 64 * 1024;
const guarded = createEgressFetch({ allow: ['127.0.0.1/32'], maxResponseBytes: MAX_RESPONSE_BYTES });
let receiver: Receiver;
let metadata: Server;
let metaHits = 0;
let metaPort = 0;

const json = (body: unknown, status = 200) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  receiver = await startReceiver({
    handle: (req) => {
      // Echoes the request's headers back, as httpbin's /headers does: an author's way to read them.
      if (req.path.startsWith('/echo')) return json({ headers: req.headers });
      if (req.path === '/redirect')
        return { status: 302, headers: { location: `http://127.0.0.2:${metaPort}/` } };
      if (req.path === '/big') return json({ pad: 'x'.repeat(MAX_RESPONSE_BYTES * 2), value: 1 });
      return undefined;
    },
  });
  metadata = createServer((_req, res) => {
    metaHits++;
    res.end(JSON.stringify({ value: 1 }));
  });
  await new Promise<void>((r) => metadata.listen(0, '127.0.0.2', r));
  metaPort = (metadata.address() as AddressInfo).port;
});
afterAll(async () => {
  await receiver.close();
  metadata.closeAllConnections();
  await new Promise((r) => metadata.close(r));
});
beforeEach(() => {
  receiver.requests.length = 0;
});

const settings = (s: Partial<WebRequestSettings> = {}): WebRequestSettings => ({
  method: 'GET',
  headers: [],
  jsonPath: '{$.data.value}',
  timeoutMs: 2000,
  ...s,
});
const provider = (s: Partial<WebRequestSettings> = {}) =>
  createMetricProvider({ type: 'web', web: settings(s) }, { fetch: guarded });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as Error,
  );

describe('web provider', () => {
  it('GETs the URL with its headers and reads the number at the jsonPath', async () => {
    receiver.script(json({ data: { value: 12.5 } }));
    const p = provider({ headers: [{ name: 'X-Team', value: 'shop', secret: false }] });
    expect(await p.query(`${receiver.url}/api/budget?svc=shop`)).toEqual({ kind: 'value', value: 12.5 });
    const [req] = receiver.requests;
    expect(req).toMatchObject({ method: 'GET', path: '/api/budget?svc=shop', body: '' });
    expect(req?.headers['x-team']).toBe('shop');
    expect(req?.headers.accept).toBe('application/json');
  });

  it('POSTs the body; a boolean is 1 or 0 and a numeric string its number', async () => {
    receiver.script(
      json({ data: { value: true } }),
      json({ data: { value: false } }),
      json({ data: { value: ' 0.95 ' } }),
    );
    const p = provider({
      method: 'POST',
      body: '{"svc": "shop"}',
      headers: [{ name: 'Content-Type', value: 'application/json', secret: false }],
    });
    const url = `${receiver.url}/api`;
    expect(await p.query(url)).toEqual({ kind: 'value', value: 1 });
    expect(await p.query(url)).toEqual({ kind: 'value', value: 0 });
    expect(await p.query(url)).toEqual({ kind: 'value', value: 0.95 });
    expect(receiver.requests[0]).toMatchObject({ method: 'POST', body: '{"svc": "shop"}' });
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('reads the whole answer with "$", and Kubernetes paths without braces or a leading $', async () => {
    receiver.script(json(42), json({ data: { value: 7 } }));
    expect(await provider({ jsonPath: '$' }).query(receiver.url)).toEqual({ kind: 'value', value: 42 });
    expect(await provider({ jsonPath: '{.data.value}' }).query(receiver.url)).toEqual({
      kind: 'value',
      value: 7,
    });
  });

  it('no match, several matches and a value that is no number are errors naming the path and what was found', async () => {
    const cases: [unknown, string, string][] = [
      [{ data: {} }, '{$.data.value}', 'jsonPath $.data.value matched nothing in the answer'],
      [
        { data: [{ v: 1 }, { v: 2 }] },
        '{$.data[*].v}',
        'jsonPath $.data[*].v matched 2 values, expected one',
      ],
      [
        { data: { value: 'n/a' } },
        '{$.data.value}',
        'jsonPath $.data.value found the string "n/a", expected a number',
      ],
      [{ data: { value: null } }, '{$.data.value}', 'jsonPath $.data.value found null'],
      [{ data: { value: { ok: true } } }, '{$.data.value}', 'jsonPath $.data.value found an object'],
      [{ data: { value: '' } }, '{$.data.value}', 'found the string ""'],
    ];
    for (const [body, jsonPath, message] of cases) {
      receiver.script(json(body));
      const err = await failure(provider({ jsonPath }).query(`${receiver.url}/m`));
      expect(err, jsonPath).toBeInstanceOf(MetricQueryError);
      expect(err.message).toContain(`GET ${receiver.url}/m: `);
      expect(err.message).toContain(message);
    }
  });

  it('an answer that is not JSON, a 4xx and a 5xx are errors; only the 5xx is worth retrying', async () => {
    receiver.script({ status: 200, body: '<html>hi</html>' }, json({ error: 'no' }, 404), json({}, 503));
    const p = provider();
    const notJson = await failure(p.query(`${receiver.url}/x?token=abc`));
    expect(notJson).toBeInstanceOf(MetricQueryError);
    expect(notJson.message).toBe(
      `GET ${receiver.url}/x answered HTTP 200 with a body that is not JSON (content-type text/plain)`,
    );
    const missing = await failure(p.query(`${receiver.url}/x`));
    expect(missing).toBeInstanceOf(MetricQueryError);
    expect(missing.message).toBe(`GET ${receiver.url}/x answered HTTP 404`);
    const down = await failure(p.query(`${receiver.url}/x`));
    expect(down).toBeInstanceOf(MetricProviderUnreachable);
    expect(down.message).toBe(`GET ${receiver.url}/x answered HTTP 503`);
  });

  it('an endpoint that does not answer in time is unreachable, naming the timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow`;
    const err = await failure(provider({ timeoutMs: 200 }).query(url));
    silent.closeAllConnections();
    silent.close();
    expect(err).toBeInstanceOf(MetricProviderUnreachable);
    expect(err.message).toBe(`GET ${url} is unreachable: no answer within 200 ms`);
  });

  it('needs spec.web and the egress-guarded fetch', () => {
    expect(() => createMetricProvider({ type: 'web' }, { fetch: guarded })).toThrow(
      "the web provider runs a MetricTemplate's spec.web",
    );
    expect(() => new WebProvider({ type: 'web', web: settings() })).toThrow('egress-guarded fetch');
  });

  it('labels requests by method, origin and path only', () => {
    expect(requestLabel('POST', 'https://a.example:8443/p/q?key=v#f')).toBe(
      'POST https://a.example:8443/p/q',
    );
  });
});

describe('web provider attacks (the URL, path and headers are a pipeline-file author’s)', () => {
  it('a URL at an address the egress policy denies is refused before connecting', async () => {
    const before = metaHits;
    for (const url of [`http://127.0.0.2:${metaPort}/latest/meta-data`, 'http://169.254.169.254/latest/']) {
      const err = await failure(provider().query(url));
      expect(err, url).toBeInstanceOf(MetricQueryError);
      expect(err.message).toContain('egress refused');
    }
    expect(metaHits).toBe(before);
  });

  it('a redirect to the metadata server is not followed', async () => {
    const before = metaHits;
    const err = await failure(provider().query(`${receiver.url}/redirect`));
    expect(err).toBeInstanceOf(MetricQueryError);
    expect(err.message).toContain('answered HTTP 302: redirects are not followed');
    expect(metaHits).toBe(before);
  });

  it('a redirect is not followed even with a plain fetch', async () => {
    const before = metaHits;
    const p = createMetricProvider({ type: 'web', web: settings() }, { fetch: fetch });
    const err = await failure(p.query(`${receiver.url}/redirect`));
    expect(err.message).toBe(`GET ${receiver.url}/redirect answered HTTP 302`);
    expect(metaHits).toBe(before);
  });

  it('a huge answer is an error at egress.maxResponseBytes, not a worker out of memory', async () => {
    const err = await failure(provider().query(`${receiver.url}/big`));
    expect(err).toBeInstanceOf(MetricQueryError);
    expect(err.message).toContain(`larger than egress.maxResponseBytes (${MAX_RESPONSE_BYTES} bytes)`);
  });

  it('runs no script in a jsonPath: filter and script expressions are errors and change nothing', async () => {
    const g = globalThis as { pwned?: unknown };
    delete g.pwned;
    for (const jsonPath of [
      '$..[?(globalThis.pwned = true)]',
      '$.data[?(@.constructor.constructor("globalThis.pwned = 1")())]',
      '$.data[(globalThis.pwned = 2)]',
    ]) {
      receiver.script(json({ data: { value: 1 } }));
      const err = await failure(provider({ jsonPath }).query(receiver.url));
      expect(err, jsonPath).toBeInstanceOf(MetricQueryError);
      expect(err.message).toContain('prevented in JSONPath expression');
    }
    expect(g.pwned).toBeUndefined();
  });

  it('a secret header value never reaches a message, even when the endpoint echoes it back', async () => {
    const headers = [{ name: 'Authorization', value: SECRET, secret: true }];
    const p = provider({ headers, jsonPath: '{$.headers.authorization}' });
    const err = await failure(p.query(`${receiver.url}/echo`));
    expect(err.message).toBe(
      `GET ${receiver.url}/echo: jsonPath $.headers.authorization found a string of ${SECRET.length} characters, expected a number, a numeric string or a boolean`,
    );
    expect(receiver.requests[0]?.headers.authorization).toBe(SECRET);
  });

  it('a header value with a line break is refused without showing the value', () => {
    const web = settings({ headers: [{ name: 'X-Token', value: `${SECRET}\r\nX-Evil: 1`, secret: true }] });
    const err = (() => {
      try {
        createMetricProvider({ type: 'web', web }, { fetch: guarded });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toBe('header X-Token has a line break or NUL in its value');
    const host = settings({ headers: [{ name: 'Host', value: 'metadata.internal', secret: false }] });
    expect(() => createMetricProvider({ type: 'web', web: host }, { fetch: guarded })).toThrow(
      'header "Host" cannot be set by a pipeline',
    );
  });
});
