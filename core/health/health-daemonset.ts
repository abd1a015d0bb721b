import type { HealthStatus } from './types.js';
import { nameOf, num, type Obj, str } from './unstructured.js';

/** DaemonSet health, after kubectl rollout status: every scheduled pod updated and available. */
export function daemonSetHealth(obj: Obj): HealthStatus {
  if ((num(obj, 'status', 'observedGeneration') ?? 0) < (num(obj, 'metadata', 'generation') ?? 0)) {
    return { status: 'Progressing', message: 'Waiting for the controller to observe the new generation' };
  }
  const desired = num(obj, 'status', 'desiredNumberScheduled') ?? 0;
  const updated = num(obj, 'status', 'updatedNumberScheduled') ?? 0;
  const available = num(obj, 'status', 'numberAvailable') ?? 0;
  if (str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
    return { status: 'Healthy', message: `${updated} out of ${desired} pods updated (OnDelete)` };
  }
  if (updated < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for DaemonSet "${nameOf(obj)}" rollout: ${updated} out of ${desired} new pods have been updated`,
    };
  }
  if (available < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for DaemonSet "${nameOf(obj)}" rollout: ${available} of ${desired} updated pods are available`,
    };
  }
  return { status: 'Healthy', message: `${available} of ${desired} pods available` };
}
