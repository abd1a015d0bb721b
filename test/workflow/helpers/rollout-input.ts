import type { RolloutSpec } from '../../../schemas/types.generated.js';
import type { RolloutInput } from '../../../workflows/rollout/messages.js';

/**
 * A canary of `web` in `shop` (20% → 40% → 60%, one analysis round per weight) with intervals of
 * 100 ms, so a whole rollout takes about a second on a real server; alerts go to a webhook provider.
 */
export function rolloutInput(
  spec: Partial<RolloutSpec> = {},
  extra: Partial<RolloutInput> = {},
): RolloutInput {
  return {
    repoId: 'repo',
    app: 'web',
    project: 'default',
    revision: 'a'.repeat(40),
    target: {
      rollout: 'web',
      namespace: 'shop',
      target: 'web',
      service: { name: 'web', port: 80, portName: 'http' },
      provider: 'istio',
    },
    spec: {
      targetRef: { name: 'web' },
      service: { port: 80 },
      provider: 'istio',
      progressDeadline: '30s',
      strategy: { canary: { stepWeight: 20, maxWeight: 60 } },
      ...spec,
      analysis: {
        interval: '100ms',
        threshold: 2,
        metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' }],
        alerts: [{ name: 'on-call', severity: 'info', providerRef: { name: 'hooks' } }],
        ...spec.analysis,
      },
    },
    checksum: 'new',
    replicas: 2,
    initialize: false,
    rolloutNamespace: 'shop',
    metricTemplates: {},
    alertProviders: { 'shop/hooks': { type: 'webhook', address: 'http://127.0.0.1:9/hooks' } },
    ...extra,
  };
}
