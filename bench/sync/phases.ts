import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import type { BenchStack } from '../lib/stack.js';
import { quantile } from '../lib/stats.js';
import { runFloor } from './floor-run.js';
import { countHistories } from './histories.js';
import { kubectlBaseline, writeBaselineManifests } from './kubectl-run.js';
import { type Measured, measure } from './measure.js';
import { PHASE_USER, type Phase, type PhaseRun } from './results.js';
import { firstSync, noopResync, type SluiceRep, type SyncClose } from './sluice-run.js';
import { firstSyncTimeline } from './timeline.js';

/** What the phases share: the stack, the clients' kubeconfigs, the worker, and the run's settings. */
export interface PhaseContext {
  stack: BenchStack;
  client: Client;
  /** The Sluice worker processes (one, or --workers of them sharing the task queue). */
  workerPids: number[];
  kubeconfigs: Record<'floor' | 'kubectl', string>;
  hook: { url: string; secret: string };
  work: string;
  apps: number;
  timeoutS: number;
  historySample: number;
}

function toRun<T>(phase: Phase, rep: number, namespace: string, wallMs: number, m: Measured<T>): PhaseRun {
  const own = m.requests[PHASE_USER[phase]];
  const ws = own?.writeWindow ? (own.writeWindow.to - own.writeWindow.from) / 1000 : 0;
  return {
    phase,
    rep,
    namespace,
    wallMs,
    writesPerS: own && ws > 0 ? own.writes / ws : 0,
    reads: own?.reads ?? 0,
    writes: own?.writes ?? 0,
    errors: own?.errors ?? 0,
    requests: m.requests,
    cpuS: m.cpuS,
    workerRssMiB: m.workerRssMiB,
    machineBusy: m.machineBusy,
    auditComplete: m.auditComplete,
  };
}

/** Phase F in a fresh namespace: the floor client applies everything and watches the Deployments Available. */
export async function floorPhase(ctx: PhaseContext, rep: number, namespace: string): Promise<PhaseRun> {
  const m = await measure(ctx.stack, ctx.workerPids, () =>
    runFloor({ kubeconfig: ctx.kubeconfigs.floor, namespace, apps: ctx.apps }),
  );
  // Wall time as the client measured it from "go": its start-up (Node, tsx, parsing) is not the floor's cost.
  const run = toRun('F', rep, namespace, m.value.totalMs, m);
  run.cpuS.floor = m.value.cpuS;
  return run;
}

/** Phase K in a fresh namespace: kubectl apply --server-side + kubectl wait, as user bench-kubectl. */
export async function kubectlPhase(ctx: PhaseContext, rep: number, namespace: string): Promise<PhaseRun> {
  const dir = join(ctx.work, `kubectl-${rep}`);
  writeBaselineManifests(dir, namespace, ctx.apps);
  const m = await measure(ctx.stack, ctx.workerPids, () =>
    kubectlBaseline(
      ctx.stack.kubectl,
      ctx.kubeconfigs.kubectl,
      dir,
      namespace,
      join(dir, '.cache'),
      ctx.timeoutS,
    ),
  );
  return toRun('K', rep, namespace, m.value.applyMs + m.value.waitMs, m);
}

const perApp = (closes: SyncClose[], from: number) => {
  const ms = closes.map((c) => c.closedAt - from);
  return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
};

/** Phases S1 then S2 in the repetition's namespace: first sync from a push + webhook, then a no-op resync. */
export async function sluicePhases(ctx: PhaseContext, rep: number, sluice: SluiceRep): Promise<PhaseRun[]> {
  const m1 = await measure(ctx.stack, ctx.workerPids, () =>
    firstSync(ctx.client, sluice, ctx.hook, ctx.timeoutS * 1000),
  );
  const { pushedAt, sha, closes } = m1.value;
  const s1 = toRun('S1', rep, sluice.namespace, Math.max(...closes.map((c) => c.closedAt)) - pushedAt, m1);
  s1.perAppMs = perApp(closes, pushedAt);
  s1.notOk = closes.filter((c) => !c.ok).map((c) => c.app);
  // Histories read between the phases (not timed): the watcher's share is spread over its apps.
  const sample = Array.from({ length: Math.min(ctx.historySample, sluice.names.length) }, (_, i) => i);
  const apps = sample.map((i) => applicationWorkflowId(sluice.repoId, sluice.names[i] as string));
  const h1 = await countHistories(ctx.client, [
    ...apps,
    ...sample.map((i) => (closes[i] as SyncClose).workflowId),
  ]);
  const watcher = await countHistories(ctx.client, [repoWatcherId(sluice.repoId)]);
  const share = sample.length / sluice.names.length;
  s1.history = {
    ...h1,
    events: h1.events + watcher.events * share,
    activities: h1.activities + watcher.activities * share,
    problems: [...h1.problems, ...watcher.problems],
    apps: sample.length,
  };
  s1.timeline = await firstSyncTimeline(
    ctx.client,
    sample.map((i, k) => ({ appId: apps[k] as string, syncId: (closes[i] as SyncClose).workflowId })),
    pushedAt,
  );
  await new Promise((r) => setTimeout(r, 3000));
  let sentAt = 0;
  const m2 = await measure(ctx.stack, ctx.workerPids, () => {
    sentAt = Date.now();
    return noopResync(ctx.client, sluice, sha);
  });
  const s2 = toRun('S2', rep, sluice.namespace, Math.max(...m2.value.map((c) => c.closedAt)) - sentAt, m2);
  s2.perAppMs = perApp(m2.value, sentAt);
  s2.notOk = m2.value.filter((c) => !c.ok).map((c) => c.app);
  const h2 = await countHistories(
    ctx.client,
    sample.map((i) => (m2.value[i] as SyncClose).workflowId),
  );
  s2.history = { ...h2, apps: sample.length };
  return [s1, s2];
}
