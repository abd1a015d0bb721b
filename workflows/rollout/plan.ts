// Pure: turns a Rollout's strategy into the ordered steps the rollout workflow runs. Safe in workflows.

import type { RolloutSpec } from '../../schemas/types.generated.js';
import { durationMs } from '../shared/duration.js';
import type { MetricCheck, RequestMatch } from './types.js';

/** One step of a rollout, in the order the workflow runs them. */
export type RolloutStep =
  /** Send this share of traffic to the canary (A/B: matching requests, when `match` is set). */
  | { kind: 'weight'; weight: number; match?: RequestMatch[]; mirror?: boolean }
  /** Run the canary with this many pods, or this share of the Deployment's (none: its full count). */
  | { kind: 'scale'; replicas?: number; weight?: number }
  /** Wait: for a duration, or until promoted / resumed. */
  | { kind: 'pause'; durationMs?: number }
  /** Rounds of checks one interval apart, all of which must pass. */
  | { kind: 'analysis'; iterations: number; metrics?: MetricCheck[] };

/** Label for a step in status and activity summaries: "weight 20%", "pause 30s", "analysis ×3". */
export function describeStep(step: RolloutStep): string {
  if (step.kind === 'weight') return step.match ? 'A/B match → canary' : `weight ${step.weight}%`;
  if (step.kind === 'scale') {
    if (step.replicas !== undefined) return `canary scale ${step.replicas} pod(s)`;
    return step.weight !== undefined ? `canary scale ${step.weight}%` : 'canary scale full';
  }
  if (step.kind === 'pause')
    return step.durationMs === undefined ? 'pause until promoted' : `pause ${step.durationMs / 1000}s`;
  return `analysis ×${step.iterations}`;
}

function weightsOf(stepWeight: number, maxWeight: number): number[] {
  const weights: number[] = [];
  for (let w = stepWeight; w < maxWeight; w += stepWeight) weights.push(w);
  weights.push(maxWeight);
  return weights;
}

/**
 * The steps of a strategy. Weighted canaries analyse once per weight, like Flagger (set the weight,
 * wait an interval, check; a failed check retries the same weight). Blue/green analyses with no live
 * traffic (or mirrored traffic), then switches all of it (and, with postSwitchAnalysis, analyses again with
 * live traffic before the primary is replaced); A/B sends matching requests to the canary.
 * Promotion follows the last step in every case.
 */
export function rolloutSteps(spec: RolloutSpec): RolloutStep[] {
  const s = spec.strategy;
  if (s.canary) {
    const c = s.canary;
    if (c.steps) {
      return c.steps.map((step): RolloutStep => {
        if (step.setWeight !== undefined) return { kind: 'weight', weight: step.setWeight };
        if (step.setCanaryScale) {
          const { replicas, weight } = step.setCanaryScale;
          return {
            kind: 'scale',
            ...(replicas !== undefined ? { replicas } : {}),
            ...(weight !== undefined ? { weight } : {}),
          };
        }
        if (step.pause) {
          return step.pause.duration === undefined
            ? { kind: 'pause' }
            : { kind: 'pause', durationMs: durationMs(step.pause.duration) };
        }
        const a = step.analysis ?? {};
        return {
          kind: 'analysis',
          iterations: a.iterations ?? 1,
          ...(a.metrics ? { metrics: a.metrics } : {}),
        };
      });
    }
    const weights = c.stepWeights ?? weightsOf(c.stepWeight as number, c.maxWeight ?? 100);
    return weights.flatMap((weight): RolloutStep[] => [
      { kind: 'weight', weight },
      { kind: 'analysis', iterations: 1 },
    ]);
  }
  if (s.blueGreen) {
    const post = s.blueGreen.postSwitchAnalysis;
    return [
      { kind: 'weight', weight: 0, ...(s.blueGreen.mirror ? { mirror: true } : {}) },
      { kind: 'analysis', iterations: s.blueGreen.iterations },
      { kind: 'weight', weight: 100 },
      // Live traffic on the new version while the primary still runs the old one: a failure switches back.
      ...(post
        ? [
            {
              kind: 'analysis' as const,
              iterations: post.iterations ?? 1,
              ...(post.metrics ? { metrics: post.metrics } : {}),
            },
          ]
        : []),
    ];
  }
  const ab = s.abTesting as NonNullable<typeof s.abTesting>;
  return [
    { kind: 'weight', weight: 100, match: ab.match as RequestMatch[] },
    { kind: 'analysis', iterations: ab.iterations },
  ];
}
