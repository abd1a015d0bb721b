import type { V1Deployment } from '@kubernetes/client-node';
import { RolloutConfigError } from './errors.js';

// Flagger's convention: the workload is identified by one of these selector labels, in this order.
const CANDIDATE_KEYS = ['app', 'app.kubernetes.io/name', 'name'];

/** The selector label that tells primary pods (`<value>-primary`) from canary pods (`<value>`). */
export function selectorLabel(target: V1Deployment): { key: string; value: string } {
  const labels = target.spec?.selector?.matchLabels ?? {};
  for (const key of CANDIDATE_KEYS) {
    const value = labels[key];
    if (value) return { key, value };
  }
  throw new RolloutConfigError(
    `Deployment ${target.metadata?.namespace}/${target.metadata?.name}: spec.selector.matchLabels needs one of ${CANDIDATE_KEYS.join(', ')} so Sluice can select primary and canary pods apart (found: ${Object.keys(labels).join(', ') || 'none'})`,
  );
}
