import type { HealthStatus } from './types.js';
import { findCondition, num, type Obj } from './unstructured.js';

/** ReplicaSet health: a ReplicaFailure condition is Degraded, otherwise every replica must be available. */
export function replicaSetHealth(obj: Obj): HealthStatus {
  if ((num(obj, 'status', 'observedGeneration') ?? 0) < (num(obj, 'metadata', 'generation') ?? 0)) {
    return { status: 'Progressing', message: 'Waiting for the controller to observe the new generation' };
  }
  const failure = findCondition(obj, 'ReplicaFailure');
  if (failure?.status === 'True') return { status: 'Degraded', message: failure.message ?? failure.reason };
  const want = num(obj, 'spec', 'replicas') ?? 1;
  const available = num(obj, 'status', 'availableReplicas') ?? 0;
  if (available < want) {
    return {
      status: 'Progressing',
      message: `Waiting for ${available} out of ${want} replicas to be available`,
    };
  }
  return { status: 'Healthy', message: `${available} of ${want} replicas available` };
}
