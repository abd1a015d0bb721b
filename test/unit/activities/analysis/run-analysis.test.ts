import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { analysisActivities } from '../../../../activities/analysis/index.js';
import { envSecretSource, SecretStore } from '../../../../activities/secrets/secret-store.js';
import type { AnalysisCheck, AnalysisTarget } from '../../../../core/analysis/types.js';
import { openSecretAccess, testCaller } from '../../../helpers/trust.js';

// Only paths that end before any query is sent: the integration test runs the rest against Prometheus.
const TOKEN = 'tok-31337-secret';
const secrets = openSecretAccess(new SecretStore([envSecretSource({ SLUICE_SECRET_PROM_TOKEN: TOKEN })]));
const rollout: AnalysisTarget = {
  name: 'shop',
  namespace: 'prod',
  target: 'shop',
  primary: 'shop-primary',
  service: 'shop',
  provider: 'istio',
};
const run = (checks: AnalysisCheck[], r: Partial<AnalysisTarget> = {}, defaultPrometheusAddress?: string) =>
  analysisActivities({ secrets, defaultPrometheusAddress }).runAnalysis({
    caller: testCaller,
    rollout: { ...rollout, ...r },
    checks,
  });

describe('runAnalysis (checks that cannot reach a query)', () => {
  it('a check that is no built-in and has no template is an Error naming templateRef', async () => {
    const r = await run([{ name: 'error-rate', thresholdRange: { max: 1 } }], {}, 'http://127.0.0.1:1');
    expect(r).toEqual({
      verdict: 'Failed',
      checks: [
        {
          name: 'error-rate',
          verdict: 'Error',
          thresholdRange: { max: 1 },
          message:
            'error-rate: check error-rate is not a built-in and has no MetricTemplate: set its templateRef',
        },
      ],
    });
  });

  it('built-ins without a provider query say to use a MetricTemplate', async () => {
    const r = await run([{ name: 'request-success-rate', thresholdRange: { min: 99 } }], {
      provider: 'gateway-api',
    });
    expect(r.checks[0]?.verdict).toBe('Error');
    expect(r.checks[0]?.message).toContain('no query for provider "gateway-api"');
  });

  it('no Prometheus address anywhere is an Error carrying the rendered query', async () => {
    const r = await run([{ name: 'request-duration', thresholdRange: { max: 500 }, interval: '30s' }]);
    expect(r.checks[0]).toMatchObject({ verdict: 'Error' });
    expect(r.checks[0]?.message).toContain('no address for the prometheus provider');
    expect(r.checks[0]?.query).toContain('destination_workload="shop"}[30s]');
  });

  it('a missing secret and an unknown provider type are Errors', async () => {
    const r = await run([
      {
        name: 'a',
        template: {
          provider: {
            type: 'prometheus',
            address: 'http://x:9090',
            secretRef: { name: 'nope', key: 'token' },
          },
          query: 'vector(1)',
        },
        thresholdRange: { min: 0 },
      },
      {
        name: 'b',
        template: {
          provider: { type: 'prometheos' as 'prometheus', address: 'http://x:9090' },
          query: 'vector(1)',
        },
        thresholdRange: { min: 0 },
      },
      { name: 'c', template: { provider: { type: 'prometheus' }, query: 'vector(1)' } },
    ]);
    expect(r.checks.map((c) => c.verdict)).toEqual(['Error', 'Error', 'Error']);
    expect(r.checks[0]?.message).toContain('secret "nope" not found');
    expect(r.checks[1]?.message).toBe(
      'b: unknown metric provider "prometheos" (did you mean "prometheus"?); known providers: prometheus, web',
    );
    expect(r.checks[2]?.message).toBe('c: the check sets neither thresholdRange nor successCondition');
  });

  it('never returns the secret, even when the address is unusable', async () => {
    const r = await run([
      {
        name: 'a',
        template: {
          provider: {
            type: 'prometheus',
            address: `ftp://u:${TOKEN}@x`,
            secretRef: { name: 'prom', key: 'token' },
          },
          query: 'vector(1)',
        },
        thresholdRange: { min: 0 },
      },
    ]);
    expect(r.checks[0]?.message).toBe('a: prometheus address must be http:// or https://, not ftp://');
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('retries an unreachable provider a few times, quickly, then returns an Error', async () => {
    const activities = analysisActivities({
      secrets,
      queryRetry: { attempts: 3, delayMs: 50 },
      egress: { allow: ['127.0.0.1/32'], maxResponseBytes: 1024 * 1024 }, // a closed port on loopback
    });
    const port = await closedPort();
    const started = Date.now();
    const r = await activities.runAnalysis({
      caller: testCaller,
      rollout,
      checks: [
        {
          name: 'down',
          template: {
            provider: { type: 'prometheus', address: `http://127.0.0.1:${port}` },
            query: 'vector(1)',
          },
          thresholdRange: { min: 0 },
        },
      ],
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(r.checks[0]?.message).toBe(
      `down: prometheus at http://127.0.0.1:${port} is unreachable: ECONNREFUSED (after 3 tries)`,
    );
    expect(r.verdict).toBe('Failed');
  });

  it('a port fetch blocks is a query error, not retried', async () => {
    const activities = analysisActivities({ secrets, queryRetry: { attempts: 3, delayMs: 1000 } });
    const started = Date.now();
    const r = await activities.runAnalysis({
      caller: testCaller,
      rollout,
      checks: [
        {
          name: 'x',
          template: {
            provider: { type: 'prometheus', address: 'http://127.0.0.1:6000' },
            query: 'vector(1)',
          },
          thresholdRange: { min: 0 },
        },
      ],
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.checks[0]?.message).toBe(
      'x: prometheus at http://127.0.0.1:6000: fetch refuses this port (a blocked port)',
    );
  });

  it("holds MetricTemplate addresses to the egress policy (not retried), but not the worker's own Prometheus", async () => {
    const port = await closedPort();
    const own = `http://127.0.0.1:${port}`;
    const activities = analysisActivities({
      secrets,
      defaultPrometheusAddress: own,
      queryRetry: { attempts: 3, delayMs: 1000 },
    });
    const check = (name: string, address?: string) => ({
      name,
      template: {
        provider: { type: 'prometheus' as const, ...(address ? { address } : {}) },
        query: 'vector(1)',
      },
      thresholdRange: { min: 0 },
    });
    const started = Date.now();
    const r = await activities.runAnalysis({
      caller: testCaller,
      rollout,
      checks: [check('imds', 'http://169.254.169.254'), check('mapped', 'http://[::ffff:10.0.0.1]:9090')],
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.checks.map((c) => c.message)).toEqual([
      expect.stringMatching(
        /^imds: prometheus at http:\/\/169\.254\.169\.254: egress refused: 169\.254\.169\.254 \(link-local, where cloud metadata servers answer\), which the egress policy denies; .*egress\.allow/,
      ),
      expect.stringMatching(
        /^mapped: .*egress refused: ::ffff:a00:1 \(an IPv6 form of 10\.0\.0\.1: private, RFC 1918\)/,
      ),
    ]);
    // The default address, or a template naming that same origin, is the administrator's: no policy.
    const exempt = await analysisActivities({
      secrets,
      defaultPrometheusAddress: own,
      queryRetry: { attempts: 1, delayMs: 0 },
    }).runAnalysis({
      caller: testCaller,
      rollout,
      checks: [check('default'), check('same-origin', `${own}/`)],
    });
    for (const c of exempt.checks) expect(c.message).toContain('is unreachable: ECONNREFUSED');
  });
});

/** A loopback TCP port nothing listens on (the connection is refused at once). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
