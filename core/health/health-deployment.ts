import type { HealthStatus } from './types.js';
import { field, findCondition, nameOf, num, type Obj } from './unstructured.js';

/** Deployment health, after kubectl rollout status: paused, observed, every replica updated and available. */
export function deploymentHealth(obj: Obj): HealthStatus {
  if (field(obj, 'spec', 'paused') === true) return { status: 'Suspended', message: 'Deployment is paused' };
  const generation = num(obj, 'metadata', 'generation') ?? 0;
  if ((num(obj, 'status', 'observedGeneration') ?? 0) < generation) {
    return { status: 'Progressing', message: 'Waiting for the controller to observe the new generation' };
  }
  if (findCondition(obj, 'Progressing')?.reason === 'ProgressDeadlineExceeded') {
    return { status: 'Degraded', message: `Deployment "${nameOf(obj)}" exceeded its progress deadline` };
  }
  // A finished rollout whose pods then stopped being available (crashing, failing readiness, a lost node) is
  // Degraded, not Progressing: nothing is rolling out that could make it healthy again by itself.
  const availableCondition = findCondition(obj, 'Available');
  if (
    findCondition(obj, 'Progressing')?.reason === 'NewReplicaSetAvailable' &&
    availableCondition?.status === 'False'
  ) {
    return {
      status: 'Degraded',
      message: `Deployment "${nameOf(obj)}" lost availability after its rollout finished: ${availableCondition.message ?? 'minimum replicas unavailable'}`,
    };
  }
  // spec.replicas defaults to 1; 0 is a valid target and is Healthy once observed.
  const want = num(obj, 'spec', 'replicas') ?? 1;
  const replicas = num(obj, 'status', 'replicas') ?? 0;
  const updated = num(obj, 'status', 'updatedReplicas') ?? 0;
  const available = num(obj, 'status', 'availableReplicas') ?? 0;
  if (updated < want) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${updated} out of ${want} new replicas have been updated`,
    };
  }
  if (replicas > updated) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${replicas - updated} old replicas are pending termination`,
    };
  }
  // Available implies ready for minReadySeconds, so it covers readyReplicas too.
  if (available < updated) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available`,
    };
  }
  return { status: 'Healthy', message: `${available} of ${want} replicas available` };
}
