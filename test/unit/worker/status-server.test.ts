import { Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from '../../../worker/metrics/registry.js';
import { type StatusServer, startStatusServer } from '../../../worker/status-server.js';

describe('status server', () => {
  let server: StatusServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers /healthz 200 only while every worker runs, and serves its own registry on /metrics', async () => {
    const states: Record<string, string> = { sluice: 'INITIALIZED' };
    const metrics = createWorkerMetrics();
    metrics.activityTotal.inc({ activity: 'renderManifests', outcome: 'completed' });
    // Something on prom-client's global registry must not leak into the worker's.
    new Counter({ name: 'global_only_total', help: 'x' }).inc();
    server = await startStatusServer({
      host: '127.0.0.1',
      port: 0,
      registry: metrics.registry,
      workerStates: () => states,
    });

    const health = async () => {
      const r = await fetch(`${server?.url}/healthz`);
      return { status: r.status, body: await r.json() };
    };
    expect(await health()).toEqual({ status: 503, body: { status: 'unavailable', workers: states } });
    states.sluice = 'RUNNING';
    states['sluice-cluster-edge'] = 'RUNNING';
    expect((await health()).status).toBe(200);
    states['sluice-cluster-edge'] = 'DRAINING';
    expect(await health()).toMatchObject({
      status: 503,
      body: { workers: { 'sluice-cluster-edge': 'DRAINING' } },
    });

    const m = await fetch(`${server.url}/metrics`);
    expect(m.headers.get('content-type')).toContain('text/plain');
    const text = await m.text();
    expect(text).toContain('sluice_activity_total{activity="renderManifests",outcome="completed"} 1');
    expect(text).toContain('# TYPE sluice_workflow_completed_total counter');
    expect(text).not.toContain('global_only_total');
    expect((await fetch(`${server.url}/other`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('fails to start on a port in use, instead of running without probes', async () => {
    server = await startStatusServer({
      host: '127.0.0.1',
      port: 0,
      registry: createWorkerMetrics().registry,
      workerStates: () => ({}),
    });
    const port = Number(new URL(server.url).port);
    await expect(
      startStatusServer({
        host: '127.0.0.1',
        port,
        registry: createWorkerMetrics().registry,
        workerStates: () => ({}),
      }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
