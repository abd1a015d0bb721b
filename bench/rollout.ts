// bench/rollout: canary pacing. A canary of stepWeight/maxWeight with the built-in checks runs on the
// local stack (istio provider, telemetry fixture, the stack's Prometheus); its duration from the first
// weight to the promotion decision is compared with the ideal interval × (maxWeight / stepWeight).
//   npx tsx bench/rollout.ts [--interval 5s] [--step-weight 10] [--max-weight 50] [--runs 2] [--json]
// Target: ratio ≤ 1.05. See bench/README.md.
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { runStatus } from '../core/run-endings.js';
import { loadStackConfig } from '../scripts/stack/config.js';
import { stackPaths } from '../scripts/stack/paths.js';
import { MeshTelemetry } from '../scripts/stack/simulators/mesh-telemetry.js';
import {
  applyAsSync,
  ensureNamespace,
  rolloutTarget,
  routesOf,
  startRollout,
  targetDeployment,
} from '../test/integration/helpers/rollout.js';
import { startTestWorker } from '../test/integration/helpers/test-worker.js';
import { durationMs } from '../workflows/shared/duration.js';

const { values } = parseArgs({
  options: {
    interval: { type: 'string', default: '5s' },
    'step-weight': { type: 'string', default: '10' },
    'max-weight': { type: 'string', default: '50' },
    runs: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
  },
});
const intervalMs = durationMs(values.interval);
const stepWeight = Number(values['step-weight']);
const maxWeight = Number(values['max-weight']);
const runs = Number(values.runs);
const steps = Math.ceil(maxWeight / stepWeight);
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

/** Times of the rollout's first weight change and of the promotion decision, from its history. */
async function pacing(
  client: Client,
  workflowId: string,
): Promise<{ firstWeightAt: number; promoteAt: number }> {
  const scheduled: { type: string; at: number; weight?: number }[] = [];
  for (const e of (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? []) {
    const a = e.activityTaskScheduledEventAttributes;
    if (!a?.activityType?.name) continue;
    const at = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
    const input = a.input?.payloads?.[0]?.data;
    const weight =
      a.activityType.name === 'setTrafficRoutes' && input
        ? (JSON.parse(Buffer.from(input).toString()) as { routes: { canaryWeight: number } }).routes
            .canaryWeight
        : undefined;
    scheduled.push({ type: a.activityType.name, at, ...(weight !== undefined ? { weight } : {}) });
  }
  const first = scheduled.find((s) => s.type === 'setTrafficRoutes' && (s.weight ?? 0) > 0);
  const promote = scheduled.find((s) => s.type === 'promoteToPrimary');
  if (!first || !promote) throw new Error(`${workflowId}: no weight step or no promotion in its history`);
  return { firstWeightAt: first.at, promoteAt: promote.at };
}

const config = loadStackConfig();
const env = await startTestWorker('bench-rollout');
const telemetry = await MeshTelemetry.start({ prometheusTargetsDir: stackPaths(config).prometheusTargets });
const ns = `bench-rollout-${Date.now().toString(36)}`;
const results: { run: number; durationMs: number; idealMs: number; ratio: number }[] = [];
try {
  await ensureNamespace(env.deps, ns);
  for (let run = 1; run <= runs; run++) {
    const name = `paced-${run}`;
    const t = rolloutTarget(ns, name, 'istio');
    await applyAsSync(env.deps, targetDeployment(ns, name, 'bench/app:1'));
    await (await startRollout(env, t, { strategy: { canary: { stepWeight } } })).result();
    telemetry.addWorkload({ namespace: ns, target: name, rps: 50, routes: routesOf(env.deps, t) });
    await applyAsSync(env.deps, targetDeployment(ns, name, 'bench/app:2'));
    log(`run ${run}: canary ${stepWeight}→${maxWeight}% every ${values.interval}`);
    const handle = await startRollout(env, t, {
      provider: 'istio',
      strategy: { canary: { stepWeight, maxWeight } },
      analysis: {
        interval: values.interval,
        threshold: 2,
        metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '30s' }],
      },
    });
    const done = await runStatus(handle.result());
    if (done.phase !== 'Succeeded') throw new Error(`run ${run} ended ${done.phase}: ${done.message}`);
    const { firstWeightAt, promoteAt } = await pacing(env.client, handle.workflowId);
    const idealMs = intervalMs * steps;
    const duration = promoteAt - firstWeightAt;
    results.push({ run, durationMs: duration, idealMs, ratio: duration / idealMs });
    log(`run ${run}: ${(duration / 1000).toFixed(2)} s vs ideal ${(idealMs / 1000).toFixed(2)} s`);
  }
} finally {
  await telemetry.stop();
  await env.stop();
  await env.deps.kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
}

const worst = Math.max(...results.map((r) => r.ratio));
if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ intervalMs, stepWeight, maxWeight, steps, results, worst }, null, 2)}\n`,
  );
} else {
  process.stdout.write(
    `bench/rollout: canary ${stepWeight}→${maxWeight}% (${steps} steps) every ${values.interval}, ${runs} run(s)\n`,
  );
  for (const r of results)
    process.stdout.write(
      `  run ${r.run}: first weight → promotion ${(r.durationMs / 1000).toFixed(2)} s, ideal ${(r.idealMs / 1000).toFixed(2)} s, ratio ${r.ratio.toFixed(3)}\n`,
    );
  process.stdout.write(
    `  pacing ratio (worst run) ${worst.toFixed(3)} — target ≤ 1.05: ${worst <= 1.05 ? 'MET' : '[MISSED]'}\n`,
  );
}
