import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTarget } from '../../activities/rollout/index.js';
import { demoDeployment, demoPipelineFiles } from '../../cli/demo/demo-files.js';
import { demoRepo } from '../../cli/demo/demo-repo.js';
import { watchRollout } from '../../cli/demo/watch-rollout.js';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import { createTrafficProvider } from '../../plugins/traffic/factory.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { startFakeSlack } from '../../scripts/stack/simulators/slack-api.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { waitFor } from '../helpers/wait-for.js';
import { openTestTrust } from './helpers/test-worker.js';
import { spawnWorker, type WorkerProcess } from './helpers/worker-process.js';

/** A free TCP port on 127.0.0.1 (the worker's listeners need fixed ports: Prometheus scrapes them by address). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The value of the first sample of `name` whose labels include every `labels` pair, from Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

// The demo's scenario run by a real `sluice worker` process (from dist/: `npm run build` first) whose /metrics
// and SDK metrics the stack's Prometheus scrapes (a file_sd target file): an Application synced from Git, a
// first revision initialising the primary, then a canary with Prometheus analysis promoted. Then the worker's
// /metrics must show the application and its rollout, and every panel of deploy/grafana/sluice-dashboard.json
// must return data from Prometheus.
describe('metrics and the Grafana dashboard after a demo-like run', () => {
  const stack = loadStackConfig();
  const paths = stackPaths(stack);
  const id = Date.now().toString(36);
  const app = `dash-${id}`;
  const namespace = `dash-${id}`;
  const repoId = `dash-${id}`;
  const taskQueue = `dashboard-${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'sluice-dashboard-'));
  const targetsFile = join(paths.prometheusTargets, `sluice-dashboard-${id}.json`);
  const prometheus = `http://${stack.host}:${stack.ports.prometheus}`;
  const repo = demoRepo(stack, repoId);
  const deps = buildActivityDeps({
    kubeconfigPath: paths.kubeconfig,
    cacheDir: join(dir, 'test'),
    trust: openTestTrust,
  });
  let worker: WorkerProcess | undefined;
  let telemetry: MeshTelemetry | undefined;
  let slack: Awaited<ReturnType<typeof startFakeSlack>> | undefined;
  let connection: Connection | undefined;
  let metricsUrl = '';
  let sdkMetricsUrl = '';
  let promoted = '';
  /** The highest canary weight the worker's /metrics showed during the canary. */
  let weightSeen = 0;

  beforeAll(async () => {
    const token = `xoxb-dash-${id}`;
    slack = await startFakeSlack({ token });
    telemetry = await MeshTelemetry.start({ prometheusTargetsDir: paths.prometheusTargets });
    const [metricsPort, sdkPort] = [await freePort(), await freePort()];
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    sdkMetricsUrl = `http://127.0.0.1:${sdkPort}/metrics`;
    const config = join(dir, 'worker.yaml');
    writeFileSync(
      config,
      [
        `temporal: {address: "${stack.host}:${stack.ports.temporal}"}`,
        `taskQueue: ${taskQueue}`,
        `kubeconfig: ${paths.kubeconfig}`,
        `cacheDir: ${join(dir, 'cache')}`,
        'webhooks: {port: 0}',
        // A short cache so the canary's steps (3 s apart) show on /metrics; the default is 15s.
        `metrics: {port: ${metricsPort}, fleetCacheTtl: 1s}`,
        `sdkMetrics: {port: ${sdkPort}}`,
        `prometheus: {address: "${prometheus}"}`,
        `slackApiUrl: "${slack.url}"`,
        `repositories: [{id: ${repoId}, url: "${repo.url}", path: pipelines, pollInterval: 2s}]`,
        `projects: [{name: default, sourceRepos: ['*'], destinations: [{namespace: '*'}], clusterResourceAllowList: [{group: '*', kind: '*'}]}]`,
        `secretAccess: [{name: demo-slack, projects: [default], hosts: ["${new URL(slack.url).host}"]}]`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      targetsFile,
      JSON.stringify([
        {
          targets: [`127.0.0.1:${metricsPort}`, `127.0.0.1:${sdkPort}`],
          labels: { job: 'sluice-worker', sluice_test: id },
        },
      ]),
    );
    process.env.SLUICE_SECRET_DEMO_SLACK_TOKEN = token;
    worker = spawnWorker(config);
    await worker.started;
    connection = await Connection.connect({ address: `${stack.host}:${stack.ports.temporal}` });
    const client = new Client({ connection });

    const target = routeTarget({
      rollout: 'podinfo',
      namespace,
      target: 'podinfo',
      service: { name: 'podinfo', port: 80, portName: 'http' },
      provider: 'istio',
    });
    telemetry.addWorkload({
      namespace,
      target: 'podinfo',
      rps: 50,
      routes: () => createTrafficProvider('istio', { kube: deps.kube }).getRoutes(target),
    });
    const files = (tag: string) => ({
      'pipelines/podinfo.yaml': demoPipelineFiles({ app, repoURL: repo.url, namespace }),
      'manifests/deployment.yaml': demoDeployment(tag),
    });
    const appId = applicationWorkflowId(repoId, app);
    const sha1 = repo.commit(files('6.9.0'), 'podinfo 6.9.0');
    const init = await watchRollout(client, appId, sha1, () => {});
    expect(init.phase).toBe('Initialized');

    promoted = repo.commit(files('6.9.1'), 'podinfo 6.9.1');
    // Read /metrics as a scraper would while the canary steps.
    let watching = true;
    const sampler = (async () => {
      while (watching) {
        const text = await fetch(metricsUrl).then(
          (r) => r.text(),
          () => '',
        );
        weightSeen = Math.max(weightSeen, sample(text, 'sluice_rollout_weight', { application: app }) ?? 0);
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const good = await watchRollout(client, appId, promoted, () => {}).finally(() => {
      watching = false;
    });
    await sampler;
    expect(good.phase, good.message).toBe('Succeeded');
  }, 300_000);

  afterAll(async () => {
    rmSync(targetsFile, { force: true });
    await worker?.kill();
    if (connection) {
      const client = new Client({ connection });
      for (const wf of [repoWatcherId(repoId), applicationWorkflowId(repoId, app)])
        await client.workflow
          .getHandle(wf)
          .terminate('dashboard test finished')
          .catch(() => undefined);
      await connection.close();
    }
    await telemetry?.stop();
    await slack?.close();
  });

  it("shows the application, its rollout's weight and phase, the analysis and the sync durations on /metrics", async () => {
    // The snapshot is at most fleetCacheTtl old: wait for the one taken after the promotion.
    const text = await waitFor(
      'the promoted rollout on /metrics',
      async () => {
        const t = await fetch(metricsUrl).then((r) => r.text());
        return sample(t, 'sluice_rollout_phase', { application: app, phase: 'Succeeded' }) === 1 &&
          sample(t, 'sluice_application_info', { application: app, revision: promoted }) === 1
          ? t
          : undefined;
      },
      30_000,
      500,
    );
    expect(weightSeen, 'a canary weight between 0 and 100 while it stepped').toBeGreaterThan(0);
    expect(sample(text, 'sluice_application_info', { application: app })).toBe(1);
    expect(text).toMatch(
      new RegExp(
        `sluice_application_info\\{application="${app}",repo="${repoId}",project="default",sync_status="Synced",health="Healthy",revision="${promoted}"`,
      ),
    );
    expect(sample(text, 'sluice_rollout_weight', { application: app, rollout: 'podinfo' })).toBe(0);
    expect(sample(text, 'sluice_rollout_phase', { application: app, phase: 'Progressing' })).toBe(0);
    expect(
      sample(text, 'sluice_analysis_results_total', {
        application: app,
        metric: 'request-success-rate',
        result: 'Successful',
      }),
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'sluice_analysis_last_value', { application: app, metric: 'request-success-rate' }),
    ).toBeGreaterThan(99);
    // Two syncs at least (one per commit), each observed once by the worker that closed it.
    expect(
      sample(text, 'sluice_application_sync_duration_seconds_count', {
        application: app,
        outcome: 'completed',
      }),
    ).toBeGreaterThanOrEqual(2);
    const sdk = await fetch(sdkMetricsUrl).then((r) => r.text());
    expect(sdk).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(sdk).toMatch(/^temporal_workflow_task_schedule_to_start_latency_seconds_bucket\{/m);
  });

  it("returns data from the stack's Prometheus for every panel of the dashboard", async () => {
    const dashboard = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../deploy/grafana/sluice-dashboard.json'), 'utf8'),
    ) as { panels: Panel[] };
    const queries = dashboard.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
    );
    expect(queries.length).toBeGreaterThan(15);
    // Grafana's variables as a user picking this run's application would have them.
    const substitute = (expr: string) =>
      expr
        .replaceAll('$application', app)
        .replaceAll('$rollout', 'podinfo')
        .replaceAll('$__rate_interval', '5m')
        .replaceAll('$__range', '10m');
    const query = async (expr: string) => {
      const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
      if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
      return body.data?.result ?? [];
    };
    // Prometheus scrapes every 2 s: wait until it has seen the promoted rollout, then ask every panel.
    await waitFor(
      'Prometheus to scrape the promoted rollout',
      async () =>
        (await query(`sluice_rollout_phase{application="${app}", phase="Succeeded"} == 1`)).length > 0,
      60_000,
      1000,
    );
    const empty: string[] = [];
    for (const q of queries) {
      const result = await waitFor(
        `${q.panel}`,
        async () => {
          const r = await query(substitute(q.expr));
          return r.length > 0 ? r : undefined;
        },
        10_000,
        1000,
      ).catch(() => []);
      if (result.length === 0) empty.push(`${q.panel}: ${substitute(q.expr)}`);
    }
    expect(empty).toEqual([]);
    // The weight over the run, as the "Rollout canary weight" panel draws it, went above 0.
    const peak = await query(`max_over_time(sluice_rollout_weight{application="${app}"}[10m])`);
    expect(Number((peak[0] as { value: [number, string] }).value[1])).toBeGreaterThan(0);
  });
});
