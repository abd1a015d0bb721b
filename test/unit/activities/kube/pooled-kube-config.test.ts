import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultKubeLimits } from '../../../../activities/kube/kube-limits.js';
import { PooledKubeConfig } from '../../../../activities/kube/pooled-kube-config.js';

// A tiny API server on plain HTTP: it counts TCP connections and answers every request with a Namespace.
let server: Server;
let connections = 0;
const authorizations: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    authorizations.push(req.headers.authorization);
    if (req.url?.includes('watch=true')) {
      res.writeHead(200, { 'content-type': 'application/json' }).flushHeaders(); // a watch stays open
      return;
    }
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function load<T extends KubeConfig>(kc: T, user: Record<string, string> = { token: 'secret-token' }): T {
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

async function connectionsFor(core: CoreV1Api, gets: number): Promise<number> {
  const before = connections;
  for (let i = 0; i < gets; i++) await core.readNamespace({ name: 'ns' });
  return connections - before;
}

describe('PooledKubeConfig', () => {
  it('sends sequential requests of every client on one kept-alive connection, with the token on each', async () => {
    const kc = load(new PooledKubeConfig());
    authorizations.length = 0;
    expect(await connectionsFor(kc.makeApiClient(CoreV1Api), 10)).toBe(1);
    expect(await connectionsFor(kc.makeApiClient(CoreV1Api), 10)).toBe(0); // a second client, same pool
    expect(authorizations).toEqual(Array(20).fill('Bearer secret-token'));
    kc.agents().requests?.destroy();
  });

  it('is needed: the library alone opens a connection per request', async () => {
    expect(await connectionsFor(load(new KubeConfig()).makeApiClient(CoreV1Api), 5)).toBe(5);
  });

  it('opens a new pool when the client certificate on disk changes (a rotated certificate is used at once)', async () => {
    const certFile = join(mkdtempSync(join(tmpdir(), 'sluice-kube-')), 'client.crt');
    writeFileSync(certFile, 'first');
    const kc = load(new PooledKubeConfig(), { token: 't', certFile });
    const core = kc.makeApiClient(CoreV1Api);
    expect(await connectionsFor(core, 3)).toBe(1);
    const first = kc.agents().requests;
    writeFileSync(certFile, 'rotated');
    expect(await connectionsFor(core, 3)).toBe(1);
    expect(kc.agents().requests).not.toBe(first);
    first?.destroy();
    kc.agents().requests?.destroy();
  });

  it('caps connections at maxInFlight however many requests run at once', async () => {
    const kc = load(new PooledKubeConfig());
    kc.setLimits({ ...defaultKubeLimits, maxInFlight: 3 });
    const core = kc.makeApiClient(CoreV1Api);
    const before = connections;
    await Promise.all(Array.from({ length: 30 }, () => core.readNamespace({ name: 'ns' })));
    expect(connections - before).toBeLessThanOrEqual(3);
    kc.agents().requests?.destroy();
  });

  it('keeps watches off the request pool: an open watch takes none of the maxInFlight sockets', async () => {
    const kc = load(new PooledKubeConfig());
    kc.setLimits({ ...defaultKubeLimits, maxInFlight: 1 });
    const watch = await new Watch(kc).watch(
      '/api/v1/namespaces',
      {},
      () => {},
      () => {},
    );
    await kc.makeApiClient(CoreV1Api).readNamespace({ name: 'ns' }); // would wait for ever behind the watch
    expect(kc.agents().watches).toBeDefined();
    expect(kc.agents().watches).not.toBe(kc.agents().requests);
    watch.abort();
    kc.agents().requests?.destroy();
    kc.agents().watches?.destroy();
  });

  it('paces writes apart from reads: a burst of reads does not wait behind throttled writes', async () => {
    const kc = load(new PooledKubeConfig());
    kc.setLimits({ ...defaultKubeLimits, qps: 1000, burst: 1000, writeQps: 2, writeBurst: 1 });
    const core = kc.makeApiClient(CoreV1Api);
    const started = Date.now();
    const ns = { metadata: { name: 'ns' } };
    const writes = [core.createNamespace({ body: ns }), core.createNamespace({ body: ns })].map((p) =>
      p.then(() => Date.now() - started),
    );
    const reads = await Promise.all(
      Array.from({ length: 20 }, () => core.readNamespace({ name: 'ns' }).then(() => Date.now() - started)),
    );
    const [, second] = await Promise.all(writes);
    expect(second).toBeGreaterThanOrEqual(400); // one token at once, the next at 2/s
    expect(Math.max(...reads)).toBeLessThan(300);
    kc.agents().requests?.destroy();
  });
});
