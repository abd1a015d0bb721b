// bench/rollout-analysis: the time of each analysis decision (runAnalysis of both built-ins) against a
// direct HTTP query of the same PromQL, on the running local stack's Prometheus.
//   npx tsx bench/rollout-analysis.ts [--rounds 50] [--providers istio,linkerd,nginx] [--json]
// See bench/README.md for what is measured and how.
import { parseArgs } from 'node:util';
import { analysisActivities } from '../activities/analysis/index.js';
import { SecretStore } from '../activities/secrets/secret-store.js';
import type { AnalysisRound, AnalysisTarget } from '../core/analysis/types.js';
import { loadStackConfig } from '../scripts/stack/config.js';
import { stackPaths } from '../scripts/stack/paths.js';
import { fixedRoutes, MeshTelemetry } from '../scripts/stack/simulators/mesh-telemetry.js';
import { openSecretAccess, testCaller } from '../test/helpers/trust.js';
import { Cleanups } from './lib/cleanups.js';

const TARGET_RATIO = 1.5;
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '50' },
    providers: { type: 'string', default: 'istio,linkerd,nginx' },
    json: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a positive integer, got "${values.rounds}"`);
const providers = values.providers.split(',') as AnalysisTarget['provider'][];
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

const config = loadStackConfig();
const prometheus = `http://${config.host}:${config.ports.prometheus}`;
const namespace = `bench-analysis-${Date.now().toString(36)}`;
const cleanups = new Cleanups();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanups.run(log).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });

const analysis = analysisActivities({
  secrets: openSecretAccess(new SecretStore([])),
  defaultPrometheusAddress: prometheus,
});
const checks = [
  { name: 'request-success-rate', thresholdRange: { min: 99 } },
  { name: 'request-duration', thresholdRange: { max: 500 } },
];
const rollout = (provider: AnalysisTarget['provider']): AnalysisTarget => ({
  name: 'shop',
  namespace,
  target: 'shop',
  primary: 'shop-primary',
  service: 'shop',
  provider,
  ingress: 'shop',
});
const decide = (provider: AnalysisTarget['provider']) =>
  analysis.runAnalysis({ caller: testCaller, rollout: rollout(provider), checks, interval: '10s' });

/** The baseline: the same PromQL, fetched concurrently, each answer parsed, nothing else. */
async function direct(queries: string[]): Promise<void> {
  await Promise.all(
    queries.map(async (query) => {
      const res = await fetch(`${prometheus}/api/v1/query?${new URLSearchParams({ query })}`);
      const body = (await res.json()) as { status: string };
      if (body.status !== 'success') throw new Error(`direct query failed: ${JSON.stringify(body)}`);
    }),
  );
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

try {
  const mesh = await MeshTelemetry.start({ prometheusTargetsDir: stackPaths(config).prometheusTargets });
  cleanups.add('stop the mesh-telemetry fixture (removes its Prometheus target file)', () => mesh.stop());
  mesh.addWorkload({ namespace, target: 'shop', ingress: 'shop', rps: 100, routes: fixedRoutes(50, 50) });
  mesh.setVersion(namespace, 'shop', { errorRate: 0.02, latencyMs: 120 });
  log(`fixture at ${mesh.url}; waiting for Prometheus to scrape it`);
  await mesh.waitScraped(prometheus);
  for (;;) {
    const ready = await Promise.all(providers.map(decide));
    if (ready.every((r) => r.checks.every((c) => c.value !== undefined))) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const results = [];
  for (const provider of providers) {
    const first: AnalysisRound = await decide(provider); // warm-up, and the rendered queries
    const queries = first.checks.map((c) => c.query as string);
    const sluice: number[] = [];
    const baseline: number[] = [];
    log(`${provider}: ${rounds} rounds`);
    for (let i = 0; i < rounds; i++) {
      // Alternate the order so neither side always runs on a warm Prometheus cache.
      const a = () => timed(() => decide(provider));
      const b = () => timed(() => direct(queries));
      if (i % 2 === 0) {
        sluice.push(await a());
        baseline.push(await b());
      } else {
        baseline.push(await b());
        sluice.push(await a());
      }
    }
    const median = { sluice: quantile(sluice, 0.5), direct: quantile(baseline, 0.5) };
    results.push({
      provider,
      rounds,
      verdict: first.verdict,
      values: Object.fromEntries(
        first.checks.map((c) => [c.name, c.value === undefined ? c.value : Number(c.value.toFixed(2))]),
      ),
      medianMs: median,
      p95Ms: { sluice: quantile(sluice, 0.95), direct: quantile(baseline, 0.95) },
      ratio: median.sluice / median.direct,
    });
  }
  if (values.json) console.log(JSON.stringify({ targetRatio: TARGET_RATIO, results }, null, 2));
  else {
    const f = (n: number) => n.toFixed(2);
    console.log(
      `\nanalysis decision (2 built-ins) vs direct PromQL, ${rounds} rounds each, median (p95) ms\n`,
    );
    console.log('provider  runAnalysis        direct HTTP        ratio  target');
    for (const r of results)
      console.log(
        `${r.provider.padEnd(9)} ${`${f(r.medianMs.sluice)} (${f(r.p95Ms.sluice)})`.padEnd(18)} ${`${f(r.medianMs.direct)} (${f(r.p95Ms.direct)})`.padEnd(18)} ${f(r.ratio).padEnd(6)} ≤ ${TARGET_RATIO} ${r.ratio <= TARGET_RATIO ? 'MET' : '[MISSED]'}`,
      );
    console.log(
      `\nvalues read: ${results.map((r) => `${r.provider} ${JSON.stringify(r.values)}`).join('; ')}`,
    );
  }
} finally {
  await cleanups.run(log);
}
