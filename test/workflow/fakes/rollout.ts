import type { ReadyResult } from '../../../activities/rollout/types.js';
import type { Verdict } from '../../../core/analysis/types.js';
import { ActivityCalls, type FakeActivities, type InputOf, recorded, sequence } from './recorder.js';

/** How the fake cluster, mesh and metrics behave for one rollout test. */
export interface RolloutScript {
  /** Verdict of each analysis round, in order; the last one repeats (default: every round Successful). */
  verdicts?: Verdict[];
  /** Readiness of a Deployment by name (default: ready at once); may wait, as a real rollout does. */
  ready?: (name: string) => ReadyResult | Promise<ReadyResult>;
}

/**
 * Fakes of the rollout's activities (traffic, scaling, readiness, analysis, approvals, events, alerts), typed
 * against the real ones and recording every call; `canaryWeights()` is the traffic the mesh saw.
 */
export function rolloutFakes(script: RolloutScript = {}) {
  const calls = new ActivityCalls();
  const verdict = sequence<Verdict>(...(script.verdicts ?? ['Successful']));
  const fakes = {
    async ensureRolloutServices() {},
    async reconcileTraffic() {},
    async setTrafficRoutes({ routes }) {
      return {
        primaryWeight: routes.primaryWeight,
        canaryWeight: routes.canaryWeight,
        mirrored: !!routes.mirror,
      };
    },
    async scaleDeployment() {},
    async promoteToPrimary() {
      return { checksum: 'new' };
    },
    async waitDeploymentReady({ name }) {
      return script.ready ? script.ready(name) : { ready: true, message: `${name} is ready` };
    },
    async runAnalysis({ checks }) {
      const v = verdict();
      return {
        verdict: v,
        checks: checks.map((c) => ({
          name: c.name,
          verdict: v,
          message: `${c.name}: ${v}`,
          ...(v === 'Failed' ? { value: 87.5, thresholdRange: { min: 99 } } : {}),
        })),
      };
    },
    async callWebhook({ hook }) {
      return { ok: true, status: 200, message: `${hook.name}: 200`, attempts: 1 };
    },
    async verifyApproval() {
      return { ok: true as const, verified: false as const };
    },
    async emitEvent() {},
    async deliverAlert() {
      return { delivered: true, duplicate: false };
    },
  } satisfies FakeActivities;
  return {
    activities: recorded(fakes, calls),
    calls,
    /** The canary weight of every traffic change, in order. */
    canaryWeights: () => calls.of('setTrafficRoutes').map((c) => c.routes.canaryWeight),
    /** Replica counts the canary (the target Deployment) was scaled to, in order. */
    canaryScales: (target: string) =>
      calls
        .of('scaleDeployment')
        .filter((c) => c.name === target)
        .map((c) => c.replicas),
    /** Types of the events the rollout emitted, in order. */
    events: () => calls.of('emitEvent').map((e) => e.type),
    /** Types of the events delivered to an alert provider, in order. */
    alerts: () => calls.of('deliverAlert').map((a: InputOf<'deliverAlert'>) => a.event.type),
  };
}
