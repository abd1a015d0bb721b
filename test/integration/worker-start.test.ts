import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import type Long from 'long';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { sluiceSearchAttributeKeys } from '../../workflows/shared/search-attributes.js';
import { waitFor } from '../helpers/wait-for.js';
import { logLines, spawnWorker, type WorkerProcess } from './helpers/worker-process.js';

const run = promisify(execFile);
const names = sluiceSearchAttributeKeys.map((k) => k.name);

// What a worker checks before it serves anything: a reachable Kubernetes API (named in its start log)
// and Sluice's search attributes in its namespace (registered when missing), on fresh namespaces of
// the stack's Temporal, as an operator's first install would meet them.
describe('worker start checks', () => {
  const stack = loadStackConfig();
  const kubeconfig = stackPaths(stack).kubeconfig;
  const address = `127.0.0.1:${stack.ports.temporal}`;
  const suffix = Date.now().toString(36);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-worker-start-'));
  let connection: Connection;
  let worker: WorkerProcess | undefined;

  /** Registers a fresh namespace and waits until the frontend serves it. */
  const freshNamespace = async (name: string) => {
    await connection.workflowService.registerNamespace({
      namespace: name,
      // protobufjs takes a number where its types say Long.
      workflowExecutionRetentionPeriod: { seconds: 86_400 as unknown as Long },
    });
    // The frontend's namespace cache learns of it within its refresh interval.
    await waitFor(`namespace ${name}`, () =>
      connection.operatorService.listSearchAttributes({ namespace: name }).then(
        () => true,
        () => false,
      ),
    );
    return name;
  };
  const registered = async (namespace: string) =>
    Object.keys(
      (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {},
    ).filter((n) => names.includes(n));
  const sluice = (args: string[]) =>
    run(process.execPath, ['bin/sluice.js', '--temporal-address', address, ...args]).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
  const workerConfig = (file: string, extra: Record<string, unknown>) => {
    writeFileSync(
      file,
      stringify({
        temporal: { address, namespace: 'default' },
        taskQueue: `worker-start-${suffix}`,
        kubeconfig,
        cacheDir: join(dir, `cache-${Math.random().toString(36).slice(2)}`),
        webhooks: { port: 0 },
        shutdownGraceTime: '2s',
        ...extra,
      }),
    );
    return file;
  };

  beforeAll(async () => {
    connection = await Connection.connect({ address });
  });
  afterAll(async () => {
    await worker?.kill();
    await connection?.close();
  });

  it('`sluice temporal setup` registers the four attributes in a fresh namespace; a second run is a no-op', async () => {
    const namespace = await freshNamespace(`sluice-setup-${suffix}`);
    expect(await registered(namespace)).toEqual([]);
    const first = await sluice(['--namespace', namespace, 'temporal', 'setup']);
    expect(first.code, first.stderr).toBe(0);
    for (const n of names) expect(first.stdout).toContain(`registered ${n}\n`);
    expect((await registered(namespace)).sort()).toEqual([...names].sort());
    const second = await sluice(['--namespace', namespace, 'temporal', 'setup']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).not.toMatch(/^registered/m);
    for (const n of names) expect(second.stdout).toContain(`already registered ${n}\n`);
  });

  it('a worker on a fresh namespace registers the attributes at start and names the stack API server in its start log', async () => {
    const namespace = await freshNamespace(`sluice-worker-${suffix}`);
    const file = workerConfig(join(dir, 'worker.yaml'), {
      temporal: { address, namespace },
    });
    worker = spawnWorker(file);
    const started = await worker.started;
    const server = parse(readFileSync(kubeconfig, 'utf8')).clusters[0].cluster.server as string;
    expect(started.kubernetes).toMatchObject({ server, from: `kubeconfig ${kubeconfig}` });
    expect(logLines(worker.output()).find((l) => l.msg === 'registered search attributes')).toMatchObject({
      namespace,
      registered: names,
    });
    expect((await registered(namespace)).sort()).toEqual([...names].sort());
    await worker.kill();
    // A second start finds them: nothing registered, nothing logged.
    worker = spawnWorker(file);
    await worker.started;
    expect(worker.output()).not.toContain('registered search attributes');
    await worker.kill();
  });

  it('a worker whose kubeconfig points at a closed port refuses to start, naming the server and the file', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const kc = parse(readFileSync(kubeconfig, 'utf8'));
    for (const c of kc.clusters) c.cluster.server = `https://127.0.0.1:${port}`;
    const closed = join(dir, 'closed-kubeconfig');
    writeFileSync(closed, stringify(kc));
    const file = workerConfig(join(dir, 'closed.yaml'), { kubeconfig: closed });
    const t0 = Date.now();
    const result = await run(process.execPath, ['bin/sluice.js', 'worker', '--config', file]).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the Kubernetes API at https://127.0.0.1:${port}`);
    expect(result.stderr).toContain(`from the kubeconfig ${closed}`);
    expect(result.stderr).toContain('does not answer');
    expect(result.stdout).not.toContain('worker started');
  });
});
