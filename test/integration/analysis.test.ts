import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisActivities } from '../../activities/analysis/index.js';
import { envSecretSource, SecretStore } from '../../activities/secrets/secret-store.js';
import type { AnalysisCheck, AnalysisInput, AnalysisTarget } from '../../core/analysis/types.js';
import { PrometheusProvider } from '../../plugins/metrics/prometheus.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { fixedRoutes, MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { openSecretAccess, testCaller } from '../helpers/trust.js';
import { waitFor } from '../helpers/wait-for.js';
import { openTestTrust } from './helpers/test-worker.js';

const config = loadStackConfig();
const prometheus = `http://${config.host}:${config.ports.prometheus}`;
const namespace = `analysis-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const TOKEN = 'sekret-token-5d1e';
const secrets = openSecretAccess(
  new SecretStore([
    envSecretSource({
      SLUICE_SECRET_PROM_AUTH_TOKEN: TOKEN,
      SLUICE_SECRET_PROM_BASIC_USERNAME: 'ann',
      SLUICE_SECRET_PROM_BASIC_PASSWORD: TOKEN,
    }),
  ]),
);
const analysis = analysisActivities({
  secrets,
  defaultPrometheusAddress: prometheus,
  queryRetry: { attempts: 3, delayMs: 100 },
  egress: openTestTrust.egress, // MetricTemplates below name loopback addresses
});

const rollout = (target: string, provider: AnalysisTarget['provider'] = 'istio'): AnalysisTarget => ({
  name: target,
  namespace,
  target,
  primary: `${target}-primary`,
  service: target,
  provider,
  ingress: target,
});
const round = (target: string, checks: AnalysisCheck[], provider: AnalysisTarget['provider'] = 'istio') =>
  analysis.runAnalysis({
    caller: testCaller,
    rollout: rollout(target, provider),
    checks,
    interval: '10s',
  } satisfies AnalysisInput);

const successRate: AnalysisCheck = { name: 'request-success-rate', thresholdRange: { min: 99 } };
const duration: AnalysisCheck = { name: 'request-duration', thresholdRange: { max: 200 } };

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

let mesh: MeshTelemetry;

beforeAll(async () => {
  mesh = await MeshTelemetry.start({ prometheusTargetsDir: stackPaths(config).prometheusTargets });
  // shop: a bad canary (20 % errors, 250 ms) taking half the traffic; the primary is fine.
  mesh.addWorkload({ namespace, target: 'shop', ingress: 'shop', rps: 100, routes: fixedRoutes(50, 50) });
  mesh.setVersion(namespace, 'shop', { errorRate: 0.2, latencyMs: 250 });
  mesh.setVersion(namespace, 'shop-primary', { errorRate: 0, latencyMs: 40 });
  // split: a healthy canary at 20 %; dark: a canary with no traffic at all.
  mesh.addWorkload({ namespace, target: 'split', ingress: 'split', rps: 100, routes: fixedRoutes(80, 20) });
  mesh.addWorkload({ namespace, target: 'dark', rps: 50, routes: fixedRoutes(100, 0) });
  // mirror: the canary gets a copy of every request.
  mesh.addWorkload({ namespace, target: 'mirror', rps: 40, routes: fixedRoutes(100, 0, true) });
  // ab: A/B testing, 10 % of requests match the canary's rules while its weight is above 0.
  mesh.addWorkload({ namespace, target: 'ab', rps: 100, routes: fixedRoutes(0, 100), matchedFraction: 0.1 });
  await mesh.waitScraped(prometheus);
  // Wait until every built-in answers for both busy canaries (two scrapes in the window).
  await waitFor(
    'built-in metrics of the fixture in Prometheus',
    async () => {
      const rounds = await Promise.all(
        ['istio', 'linkerd', 'nginx'].flatMap((p) =>
          ['shop', 'split'].map((t) => round(t, [successRate, duration], p as AnalysisTarget['provider'])),
        ),
      );
      return rounds.every((r) => r.checks.every((c) => c.value !== undefined));
    },
    60_000,
    1000,
  );
}, 90_000);

afterAll(async () => {
  await mesh?.stop();
});

describe('runAnalysis against the stack Prometheus', () => {
  it.each(['istio', 'linkerd', 'smi', 'nginx'] as const)(
    '%s: the canary success rate reflects its 20 %% errors and fails min 99',
    async (provider) => {
      const r = await round('shop', [successRate], provider);
      const [check] = r.checks;
      expect(check?.verdict).toBe('Failed');
      expect(check?.value).toBeGreaterThan(78);
      expect(check?.value).toBeLessThan(82);
      expect(check?.message).toMatch(/^request-success-rate \d+(\.\d+)? < min 99$/);
      expect(check?.query).toContain('shop');
      expect(check?.query).not.toContain('{{');
      expect(r.verdict).toBe('Failed');
    },
  );

  it.each(['istio', 'linkerd', 'nginx'] as const)(
    '%s: request-duration is the canary P99 in ms and fails max 200',
    async (provider) => {
      const r = await round('shop', [duration], provider);
      const [check] = r.checks;
      expect(check?.value).toBeGreaterThan(240);
      expect(check?.value).toBeLessThanOrEqual(250);
      expect(check?.verdict).toBe('Failed');
      expect(check?.message).toMatch(/^request-duration \d+(\.\d+)? > max 200$/);
    },
  );

  it('a healthy canary passes both built-ins', async () => {
    const r = await round('split', [successRate, { ...duration, successCondition: 'result < 50.0' }]);
    expect(r.checks.map((c) => c.verdict)).toEqual(['Successful', 'Successful']);
    expect(r.checks[0]?.value).toBe(100);
    expect(r.verdict).toBe('Successful');
  });

  it('splits requests by the route weights and mirrors a copy to the canary', async () => {
    const provider = new PrometheusProvider({ type: 'prometheus', address: prometheus });
    const share = (t: string) =>
      `sum(rate(istio_requests_total{destination_workload_namespace="${namespace}",destination_workload="${t}"}[10s])) / sum(rate(istio_requests_total{destination_workload_namespace="${namespace}",destination_workload="${t}-primary"}[10s]))`;
    const split = await provider.query(share('split'));
    expect(split.kind === 'value' && split.value).toBeCloseTo(20 / 80, 1);
    const ab = await provider.query(share('ab'));
    expect(ab.kind === 'value' && ab.value).toBeCloseTo(10 / 90, 1);
    const mirror = await provider.query(share('mirror'));
    expect(mirror.kind === 'value' && mirror.value).toBeCloseTo(1, 1);
  });

  it('a MetricTemplate with variables measures what the query names (here the primary)', async () => {
    const template = {
      provider: { type: 'prometheus' as const, secretRef: { name: 'prom-auth', key: 'token' } },
      query:
        'sum(rate(istio_requests_total{destination_workload_namespace="{{ namespace }}",destination_workload="{{ variables.workload }}",response_code!~"5.*"}[{{ interval }}])) / sum(rate(istio_requests_total{destination_workload_namespace="{{ namespace }}",destination_workload="{{ variables.workload }}"}[{{ interval }}]))',
    };
    const r = await round('shop', [
      {
        name: 'primary-ok',
        template,
        variables: { workload: 'shop-primary' },
        successCondition: 'result >= 0.99',
      },
      {
        name: 'canary-ok',
        template,
        variables: { workload: 'shop' },
        successCondition: 'result >= 0.99',
        interval: '8s',
      },
      { name: 'typo', template, variables: { workloads: 'shop' }, successCondition: 'result >= 0.99' },
    ]);
    const [primary, canary, typo] = r.checks;
    expect(primary).toMatchObject({ verdict: 'Successful', value: 1 });
    expect(primary?.message).toBe('primary-ok 1 meets "result >= 0.99"');
    expect(canary).toMatchObject({ verdict: 'Failed', successCondition: 'result >= 0.99' });
    expect(canary?.query).toContain('destination_workload="shop"');
    expect(canary?.query).toContain('[8s]');
    expect(canary?.message).toMatch(/^canary-ok 0\.\d+ fails "result >= 0.99"$/);
    expect(typo?.verdict).toBe('Error');
    expect(typo?.message).toContain('variables.workload');
    expect(typo?.message).toContain('did you mean "workloads"?');
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('no data is Inconclusive, never a pass', async () => {
    const ghost = await round('ghost', [successRate, duration]);
    expect(ghost.checks.map((c) => c.verdict)).toEqual(['Inconclusive', 'Inconclusive']);
    expect(ghost.checks[0]?.message).toBe('request-success-rate: no data (query returned no series)');
    expect(ghost.verdict).toBe('Inconclusive');
    // A canary with no traffic: 0 / 0 is NaN.
    const dark = await round('dark', [successRate]);
    expect(dark.checks[0]?.verdict).toBe('Inconclusive');
    expect(dark.checks[0]?.message).toContain('NaN');
  });

  it('an unreachable Prometheus is an Error result after quick retries, not a throw', async () => {
    const port = await closedPort();
    const started = Date.now();
    const r = await round('shop', [
      {
        name: 'down',
        template: {
          provider: {
            type: 'prometheus',
            address: `http://user:${TOKEN}@127.0.0.1:${port}`,
            secretRef: { name: 'prom-basic', key: 'password' },
          },
          query: 'vector(1)',
        },
        thresholdRange: { min: 0 },
      },
      successRate,
    ]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.checks[0]).toMatchObject({ name: 'down', verdict: 'Error', query: 'vector(1)' });
    expect(r.checks[0]?.message).toContain(
      `prometheus at http://127.0.0.1:${port} is unreachable: ECONNREFUSED (after 3 tries)`,
    );
    expect(r.checks[1]?.verdict).toBe('Failed');
    expect(r.verdict).toBe('Failed');
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('bad queries, several series and providers without built-ins are Error results', async () => {
    const template = (query: string) => ({ provider: { type: 'prometheus' as const }, query });
    const r = await round('shop', [
      { name: 'syntax', template: template('sum(rate(x[1m])'), thresholdRange: { min: 0 } },
      {
        name: 'many',
        template: template(
          `istio_requests_total{destination_workload_namespace="{{ namespace }}",response_code="200"}`,
        ),
        thresholdRange: { min: 0 },
      },
      { name: 'matrix', template: template('up[1m]'), thresholdRange: { min: 0 } },
    ]);
    expect(r.checks.map((c) => c.verdict)).toEqual(['Error', 'Error', 'Error']);
    expect(r.checks[0]?.message).toMatch(/prometheus rejected the query \(HTTP 400\): .*parse error/);
    expect(r.checks[1]?.message).toMatch(/query returned \d+ series, expected one/);
    expect(r.checks[2]?.message).toContain('returned a matrix result');
    for (const provider of ['kubernetes', 'gateway-api'] as const) {
      const k = await round('shop', [successRate], provider);
      expect(k.checks[0]?.verdict).toBe('Error');
      expect(k.checks[0]?.message).toContain('MetricTemplate');
    }
  });

  it('a query timeout is reported as unreachable', async () => {
    const provider = new PrometheusProvider({ type: 'prometheus', address: prometheus }, { timeoutMs: 1 });
    await expect(provider.query('vector(1)')).rejects.toMatchObject({
      name: 'MetricProviderUnreachable',
      message: expect.stringContaining('no answer within 1 ms'),
    });
  });
});
