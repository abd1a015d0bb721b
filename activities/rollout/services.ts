import type { V1Service } from '@kubernetes/client-node';
import type { ObjectMetadata } from '../../core/traffic/routes.js';
import { canaryName, primaryName, ROLLOUT_LABEL } from './names.js';
import type { RolloutTarget } from './types.js';

/**
 * The apex `<service>` (selecting the primary, as Flagger's), `<service>-primary` and `<service>-canary`.
 * Providers move traffic between the last two; the kubernetes provider re-points the apex.
 */
export function rolloutServices(t: RolloutTarget, selector: { key: string; value: string }): V1Service[] {
  const port = {
    name: t.service.portName,
    port: t.service.port,
    protocol: 'TCP',
    targetPort: (t.service.targetPort ?? t.service.port) as unknown as number,
  };
  // The Rollout's labels and annotations (Flagger's service.apex / primary / canary); the rollout label wins.
  const make = (name: string, value: string, extra: ObjectMetadata | undefined): V1Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: t.namespace,
      labels: { ...extra?.labels, [ROLLOUT_LABEL]: t.rollout },
      ...(extra?.annotations ? { annotations: extra.annotations } : {}),
    },
    spec: { type: 'ClusterIP', selector: { [selector.key]: value }, ports: [port] },
  });
  return [
    make(t.service.name, primaryName(selector.value), t.service.apex),
    make(primaryName(t.service.name), primaryName(selector.value), t.service.primary),
    make(canaryName(t.service.name), selector.value, t.service.canary),
  ];
}
