import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricTemplateSpec } from '../../schemas/types.generated.js';
import { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { failedRun } from '../helpers/runs.js';
import { waitFor } from '../helpers/wait-for.js';
import { testKube } from './helpers/kube.js';
import {
  applyAsSync,
  ensureNamespace,
  recordWeights,
  rolloutTarget,
  routesOf,
  startRollout,
  targetDeployment,
  waitForRollout,
} from './helpers/rollout.js';
import { startTestWorker } from './helpers/test-worker.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

// A Prometheus of the test's own (the real binary), scraping the telemetry fixture, so stopping it
// mid-analysis disturbs no other test that uses the stack's Prometheus.
describe('Prometheus stopped in the middle of a rollout', () => {
  const ns = `outage-${Date.now().toString(36)}`;
  const kube = testKube();
  const dir = mkdtempSync(join(tmpdir(), 'sluice-outage-'));
  let env: Awaited<ReturnType<typeof startTestWorker>>;
  let telemetry: MeshTelemetry;
  let prometheus: ChildProcess | undefined;
  let address = '';

  beforeAll(async () => {
    env = await startTestWorker('outage');
    await ensureNamespace(env.deps, ns);
    const targets = join(dir, 'targets');
    execFileSync('mkdir', ['-p', targets]);
    telemetry = await MeshTelemetry.start({ prometheusTargetsDir: targets });
    const port = await freePort();
    address = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: fixture\n    static_configs: [{targets: ['${telemetry.instance}']}]\n`,
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    await waitFor('the test Prometheus', async () => (await fetch(`${address}/-/ready`)).ok, 60_000, 250);
  });
  afterAll(async () => {
    prometheus?.kill('SIGKILL');
    await telemetry?.stop();
    await env?.stop();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('does not advance, and ends failed (never promoted) once the failed checks reach the threshold', async () => {
    const t = rolloutTarget(ns, 'outage', 'istio');
    await applyAsSync(env.deps, targetDeployment(ns, 'outage', 'example/app:1'));
    expect(
      (await (await startRollout(env, t, { strategy: { canary: { stepWeight: 50 } } })).result()).phase,
    ).toBe('Initialized');
    await applyAsSync(env.deps, targetDeployment(ns, 'outage', 'example/app:2'));
    telemetry.addWorkload({ namespace: ns, target: 'outage', rps: 40, routes: routesOf(env.deps, t) });
    const successRate: MetricTemplateSpec = {
      provider: { type: 'prometheus', address },
      query:
        'sum(rate(istio_requests_total{destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}",response_code!~"5.*"}[{{ interval }}])) / sum(rate(istio_requests_total{destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}"}[{{ interval }}])) * 100',
    };
    const weights = recordWeights(routesOf(env.deps, t));
    const handle = await startRollout(
      env,
      t,
      {
        provider: 'istio',
        strategy: { canary: { stepWeight: 20, maxWeight: 80 } },
        analysis: {
          // Rounds 4 s apart: the canary's series appear in the test's Prometheus a few scrapes after traffic
          // shifts, and under CI's load three 2 s rounds could all read "no data" before the first pass.
          interval: '4s',
          threshold: 3,
          metrics: [
            {
              name: 'success-rate',
              templateRef: { name: 'success-rate' },
              thresholdRange: { min: 99 },
              interval: '10s',
            },
          ],
        },
      },
      { metricTemplates: { 'default/success-rate': successRate } },
    );
    const at40 = await waitForRollout(
      handle,
      'weight 40% after a passing round',
      (s) => s.canaryWeight === 40,
    );
    expect(at40.lastVerdict).toBe('Successful');
    prometheus?.kill('SIGKILL');
    const done = await failedRun(handle, 'RolloutRolledBack');
    const seen = await weights.stop();
    expect(done.phase).toBe('Failed');
    expect(done.failed?.name).toBe('success-rate');
    expect(done.failed?.message).toMatch(/unreachable|ECONNREFUSED|fetch failed/i);
    // A round may have passed just before the kill; after it nothing advanced.
    expect(Math.max(...seen)).toBeLessThanOrEqual(60);
    expect(seen.at(-1)).toBe(0);
    expect(done.failedChecks).toBe(3);
  });
});
