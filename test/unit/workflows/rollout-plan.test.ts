import { describe, expect, it } from 'vitest';
import type { RolloutSpec } from '../../../schemas/types.generated.js';
import { describeStep, rolloutSteps } from '../../../workflows/rollout/plan.js';
import type { MetricCheck } from '../../../workflows/rollout/types.js';

const spec = (strategy: RolloutSpec['strategy']): RolloutSpec => ({
  targetRef: { name: 'web' },
  service: { port: 80 },
  strategy,
});

describe('rolloutSteps', () => {
  it('analyses once per weight of stepWeight up to maxWeight, the last step capped at maxWeight', () => {
    const steps = rolloutSteps(spec({ canary: { stepWeight: 20, maxWeight: 50 } }));
    expect(steps.filter((s) => s.kind === 'weight').map((s) => s.kind === 'weight' && s.weight)).toEqual([
      20, 40, 50,
    ]);
    expect(steps.map((s) => s.kind)).toEqual([
      'weight',
      'analysis',
      'weight',
      'analysis',
      'weight',
      'analysis',
    ]);
  });

  it('defaults maxWeight to 100 and takes stepWeights as given', () => {
    expect(
      rolloutSteps(spec({ canary: { stepWeight: 50 } })).filter((s) => s.kind === 'weight'),
    ).toHaveLength(2);
    const weights = rolloutSteps(spec({ canary: { stepWeights: [1, 5, 25] } }))
      .filter((s) => s.kind === 'weight')
      .map((s) => s.kind === 'weight' && s.weight);
    expect(weights).toEqual([1, 5, 25]);
  });

  it('keeps explicit steps in order, with durations in ms and a pause without one waiting to be promoted', () => {
    const steps = rolloutSteps(
      spec({
        canary: {
          steps: [
            { setWeight: 10 },
            { pause: { duration: '1m30s' } },
            { analysis: { iterations: 3 } },
            { pause: {} },
          ],
        },
      }),
    );
    expect(steps).toEqual([
      { kind: 'weight', weight: 10 },
      { kind: 'pause', durationMs: 90_000 },
      { kind: 'analysis', iterations: 3 },
      { kind: 'pause' },
    ]);
    expect(steps.map(describeStep)).toEqual([
      'weight 10%',
      'pause 90s',
      'analysis ×3',
      'pause until promoted',
    ]);
  });

  it('keeps setCanaryScale steps: a pod count, a share of the replicas, or back to the full count', () => {
    const steps = rolloutSteps(
      spec({
        canary: {
          steps: [
            { setCanaryScale: { replicas: 1 } },
            { setWeight: 10 },
            { setCanaryScale: { weight: 25 } },
            { setCanaryScale: { matchTrafficWeight: true } },
          ],
        },
      }),
    );
    expect(steps).toEqual([
      { kind: 'scale', replicas: 1 },
      { kind: 'weight', weight: 10 },
      { kind: 'scale', weight: 25 },
      { kind: 'scale' },
    ]);
    expect(steps.map(describeStep)).toEqual([
      'canary scale 1 pod(s)',
      'weight 10%',
      'canary scale 25%',
      'canary scale full',
    ]);
  });

  it('runs blue/green as analysis without traffic (mirrored if asked), then a switch of everything', () => {
    expect(rolloutSteps(spec({ blueGreen: { iterations: 4, mirror: true } }))).toEqual([
      { kind: 'weight', weight: 0, mirror: true },
      { kind: 'analysis', iterations: 4 },
      { kind: 'weight', weight: 100 },
    ]);
  });

  it('analyses again after the blue/green switch, with live traffic, when postSwitchAnalysis is set', () => {
    const metrics: [MetricCheck] = [{ name: 'errors', thresholdRange: { max: 1 } }];
    expect(
      rolloutSteps(spec({ blueGreen: { iterations: 2, postSwitchAnalysis: { iterations: 3, metrics } } })),
    ).toEqual([
      { kind: 'weight', weight: 0 },
      { kind: 'analysis', iterations: 2 },
      { kind: 'weight', weight: 100 },
      { kind: 'analysis', iterations: 3, metrics },
    ]);
    expect(rolloutSteps(spec({ blueGreen: { iterations: 1, postSwitchAnalysis: {} } })).at(-1)).toEqual({
      kind: 'analysis',
      iterations: 1,
    });
  });

  it('sends matching requests to the canary for A/B testing', () => {
    const match: [{ headers: { 'x-canary': { exact: string } } }] = [
      { headers: { 'x-canary': { exact: 'insider' } } },
    ];
    expect(rolloutSteps(spec({ abTesting: { iterations: 2, match } }))).toEqual([
      { kind: 'weight', weight: 100, match },
      { kind: 'analysis', iterations: 2 },
    ]);
  });
});
