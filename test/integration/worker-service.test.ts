import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { smokeObjects } from '../../scripts/stack/smoke.js';
import { smokeDeployWorkflow } from '../../workflows/smoke/workflow.js';
import { waitFor } from '../helpers/wait-for.js';
import { testKube } from './helpers/kube.js';

// `sluice worker` as a service: a real process (from dist/: `npm test` builds first) with its status
// server, scraped by the stack's Prometheus, and stopped with SIGTERM as Kubernetes stops a pod.
describe('the worker as a service: /healthz, /metrics scraped by Prometheus, graceful SIGTERM', () => {
  const stack = loadStackConfig();
  const paths = stackPaths(stack);
  const prometheus = `http://${stack.host}:${stack.ports.prometheus}`;
  const suffix = Date.now().toString(36);
  const taskQueue = `worker-service-${suffix}`;
  const namespace = `worker-service-${suffix}`;
  const dir = mkdtempSync(join(tmpdir(), 'sluice-worker-service-'));
  const targetFile = join(paths.prometheusTargets, `sluice-worker-${process.pid}-${suffix}.json`);
  let worker: ChildProcess;
  let output = '';
  let statusUrl: string;
  let connection: Connection;
  let client: Client;
  const exited = () =>
    worker.exitCode !== null || worker.signalCode !== null
      ? Promise.resolve([worker.exitCode, worker.signalCode])
      : once(worker, 'exit');

  /** One instant query against the stack's Prometheus; the first sample's value, if any. */
  const promValue = async (query: string): Promise<number | undefined> => {
    const r = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await r.json()) as { data: { result: { value: [number, string] }[] } };
    const sample = body.data.result[0];
    return sample ? Number(sample.value[1]) : undefined;
  };

  beforeAll(async () => {
    const configFile = join(dir, 'worker.yaml');
    // A renderer plugin package, installed the way npm would into a plugins folder of its own.
    cpSync(
      join(import.meta.dirname, '../fixtures/renderers/plugin-package'),
      join(dir, 'plugins/node_modules/sluice-renderer-fixture'),
      {
        recursive: true,
      },
    );
    writeFileSync(
      configFile,
      [
        `temporal: {address: "127.0.0.1:${stack.ports.temporal}", namespace: default}`,
        `taskQueue: ${taskQueue}`,
        `kubeconfig: ${paths.kubeconfig}`,
        `cacheDir: ${join(dir, 'cache')}`,
        'webhooks: {port: 0}',
        'metrics: {host: 127.0.0.1, port: 0}',
        'shutdownGraceTime: 3s',
        `plugins: {renderers: [sluice-renderer-fixture], dir: ${join(dir, 'plugins')}}`,
        // Tests of the trust model are elsewhere: one Project that allows everything.
        "projects: [{name: default, sourceRepos: ['*'], destinations: [{namespace: '*'}], clusterResourceAllowList: [{group: '*', kind: '*'}]}]",
        '',
      ].join('\n'),
    );
    worker = spawn(process.execPath, ['bin/sluice.js', 'worker', '--config', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    worker.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const started = await waitFor(
      'the worker to start',
      async () => {
        if (worker.exitCode !== null) throw new Error(`worker exited ${worker.exitCode}:\n${output}`);
        return logLines(output).find((l) => l.msg === 'worker started');
      },
      90_000,
    );
    statusUrl = String(started.healthz).replace(/\/healthz$/, '');
    connection = await Connection.connect({ address: `127.0.0.1:${stack.ports.temporal}` });
    client = new Client({ connection });
  });

  afterAll(async () => {
    rmSync(targetFile, { force: true });
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await client?.workflow
      .getHandle(`smoke/stuck-${suffix}`)
      .terminate('test done')
      .catch(() => {});
    await connection?.close();
    await testKube()
      .core.deleteNamespace({ name: namespace })
      .catch(() => {});
  });

  it('loaded the renderer plugin packages its config names before it started', () => {
    const lines = logLines(output);
    const loaded = lines.findIndex((l) => l.msg === 'renderer plugins loaded');
    expect(lines[loaded]).toMatchObject({
      packages: ['sluice-renderer-fixture'],
      renderers: ['echo', 'nameless'],
    });
    expect(loaded).toBeLessThan(lines.findIndex((l) => l.msg === 'worker started'));
  });

  it('answers /healthz 200 with every Temporal worker running', async () => {
    const r = await fetch(`${statusUrl}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', workers: { [taskQueue]: 'RUNNING' } });
  });

  it("counts a workflow's activities, and Prometheus scrapes them from /metrics", async () => {
    const instance = new URL(statusUrl).host;
    // Written under another name, then renamed, so Prometheus never reads half a file.
    writeFileSync(
      `${targetFile}.tmp`,
      JSON.stringify([{ targets: [instance], labels: { fixture: 'sluice-worker' } }]),
    );
    renameSync(`${targetFile}.tmp`, targetFile);

    const result = await client.workflow.execute(smokeDeployWorkflow, {
      taskQueue,
      workflowId: `smoke/metrics-${suffix}`,
      args: [
        {
          objects: smokeObjects(namespace, 'metrics', 1),
          deployment: { namespace, name: 'metrics' },
          availableTimeout: '2 minutes',
        },
      ],
    });
    expect(result).toMatchObject({ applied: 2, availableReplicas: 1 });

    const text = await (await fetch(`${statusUrl}/metrics`)).text();
    expect(text).toContain('sluice_activity_total{activity="applyManifests",outcome="completed"} 1');
    expect(text).toContain('sluice_activity_total{activity="waitDeploymentAvailable",outcome="completed"} 1');
    expect(text).toContain('sluice_activity_duration_seconds_count{activity="applyManifests"} 1');
    expect(text).toContain(
      'sluice_workflow_completed_total{workflow_type="smokeDeployWorkflow",outcome="completed"} 1',
    );
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);

    const sel = `instance="${instance}",fixture="sluice-worker"`;
    const scraped = await waitFor(
      'Prometheus to scrape sluice_activity_total from the worker',
      () => promValue(`sluice_activity_total{${sel},activity="applyManifests",outcome="completed"}`),
      60_000,
      1000,
    );
    expect(scraped).toBe(1);
    expect(await promValue(`up{${sel}}`)).toBe(1);
    expect(
      await promValue(`sluice_workflow_completed_total{${sel},workflow_type="smokeDeployWorkflow"}`),
    ).toBe(1);
  });

  it('on SIGTERM stops taking work, reports 503 while draining, lets the running activity go after the grace time, and exits 0', async () => {
    // A Deployment no node can take: its wait activity heartbeats until the worker's grace time cancels it.
    const [ns, deployment] = smokeObjects(namespace, 'stuck', 1);
    const spec = (deployment as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;
    spec.nodeSelector = { 'sluice.dev/no-such-node': 'true' };
    const handle = await client.workflow.start(smokeDeployWorkflow, {
      taskQueue,
      workflowId: `smoke/stuck-${suffix}`,
      args: [
        {
          objects: [ns, deployment].filter((o) => o !== undefined),
          deployment: { namespace, name: 'stuck' },
          availableTimeout: '5 minutes',
        },
      ],
    });
    await waitFor(
      'the wait activity to run',
      async () =>
        (await handle.describe()).raw.pendingActivities?.some(
          (a) => a.activityType?.name === 'waitDeploymentAvailable' && a.lastStartedTime,
        ),
      60_000,
      200,
    );

    const signalled = Date.now();
    worker.kill('SIGTERM');
    const draining = await waitFor(
      '/healthz to report the drain',
      async () => {
        const r = await fetch(`${statusUrl}/healthz`);
        return r.status === 503 ? ((await r.json()) as { workers: Record<string, string> }) : undefined;
      },
      5_000,
      50,
    );
    expect(['STOPPING', 'DRAINING', 'DRAINED', 'STOPPED']).toContain(draining.workers[taskQueue]);

    const [code, signal] = await exited();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // It waited for the grace time (3s) before cancelling the activity, and not much longer.
    const took = Date.now() - signalled;
    expect(took).toBeGreaterThanOrEqual(2_500);
    expect(took).toBeLessThan(20_000);

    const lines = logLines(output);
    expect(lines.find((l) => l.msg?.startsWith('shutdown requested'))).toMatchObject({
      level: 'info',
      signal: 'SIGTERM',
      shutdownGraceTime: '3s',
      workers: { [taskQueue]: 'RUNNING' },
    });
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'worker stopped' });
    // The workflow is not lost: it is still running, waiting for the next worker on its task queue.
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });
});

/** The JSON log lines of the worker's output (stdout and stderr), skipping anything else. */
function logLines(text: string): ({ msg?: string } & Record<string, unknown>)[] {
  return text.split('\n').flatMap((l) => {
    if (!l.startsWith('{')) return [];
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
}

// The same worker against a Temporal frontend that only speaks mutual TLS: a TLS terminator in front of
// the stack's dev server that requires a client certificate from the test's CA, as a remote cluster would.
describe('the worker against Temporal over mutual TLS', () => {
  const stack = loadStackConfig();
  const dir = mkdtempSync(join(tmpdir(), 'sluice-worker-tls-'));
  const suffix = Date.now().toString(36);
  const taskQueue = `worker-tls-${suffix}`;
  const serverName = 'temporal.sluice.test';
  const clients: string[] = [];
  let proxy: ReturnType<typeof createTlsServer>;
  let worker: ChildProcess | undefined;
  let connection: Connection;

  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const pem = (name: string) => readFileSync(join(dir, name));

  beforeAll(async () => {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '1',
      '-subj',
      '/CN=sluice-test-ca',
    );
    for (const [name, cn, ext] of [
      ['server', serverName, `subjectAltName=DNS:${serverName}`],
      ['client', 'sluice-worker', 'extendedKeyUsage=clientAuth'],
    ] as const) {
      writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${cn}`,
      );
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '1',
        '-extfile',
        `${name}.ext`,
      );
    }
    proxy = createTlsServer(
      {
        key: pem('server.key'),
        cert: pem('server.pem'),
        ca: pem('ca.pem'),
        requestCert: true,
        rejectUnauthorized: true,
        ALPNProtocols: ['h2'],
      },
      (socket: TLSSocket) => {
        clients.push(String(socket.getPeerCertificate().subject?.CN));
        const upstream = tcpConnect(stack.ports.temporal, '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      },
    );
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    connection = await Connection.connect({ address: `127.0.0.1:${stack.ports.temporal}` });
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    proxy?.close();
    await connection?.close();
    await testKube()
      .core.deleteNamespace({ name: `worker-tls-${suffix}` })
      .catch(() => {});
  });

  it('connects the worker and its client with the configured CA, client certificate and server name', async () => {
    const port = (proxy.address() as { port: number }).port;
    const configFile = join(dir, 'worker.yaml');
    writeFileSync(
      configFile,
      [
        `temporal:`,
        `  address: "127.0.0.1:${port}"`,
        `  tls: {caFile: ${join(dir, 'ca.pem')}, serverName: ${serverName}}`,
        `taskQueue: ${taskQueue}`,
        `kubeconfig: ${stackPaths(stack).kubeconfig}`,
        `cacheDir: ${join(dir, 'cache')}`,
        'webhooks: {port: 0}',
        '',
      ].join('\n'),
    );
    // The client pair comes from the environment, as a Kubernetes Secret mounted as files would be named.
    let output = '';
    worker = spawn(process.execPath, ['bin/sluice.js', 'worker', '--config', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SLUICE_TEMPORAL_TLS_CERT: join(dir, 'client.pem'),
        SLUICE_TEMPORAL_TLS_KEY: join(dir, 'client.key'),
      },
    });
    const child = worker;
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const started = await waitFor(
      'the worker to start over TLS',
      async () => {
        if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}:\n${output}`);
        return logLines(output).find((l) => l.msg === 'worker started');
      },
      90_000,
    );
    expect(started).toMatchObject({ tls: true, taskQueues: [taskQueue] });
    // The worker's native connection and its client's connection each went through the proxy.
    expect(clients.length).toBeGreaterThanOrEqual(2);
    expect(new Set(clients)).toEqual(new Set(['sluice-worker']));

    // It polls through TLS: a workflow started on its queue (by a plaintext client) completes.
    const ns = `worker-tls-${suffix}`;
    const result = await new Client({ connection }).workflow.execute(smokeDeployWorkflow, {
      taskQueue,
      workflowId: `smoke/tls-${suffix}`,
      args: [
        {
          objects: smokeObjects(ns, 'tls', 1),
          deployment: { namespace: ns, name: 'tls' },
          availableTimeout: '2 minutes',
        },
      ],
    });
    expect(result).toMatchObject({ applied: 2, availableReplicas: 1 });

    child.kill('SIGTERM');
    const [code] = child.exitCode !== null ? [child.exitCode] : await once(child, 'exit');
    expect(code).toBe(0);
  });
});
