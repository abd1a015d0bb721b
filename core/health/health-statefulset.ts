import type { HealthStatus } from './types.js';
import { num, type Obj, str } from './unstructured.js';

/** StatefulSet health, after kubectl rollout status: ready replicas, then partitioned, OnDelete or full rolling update. */
export function statefulSetHealth(obj: Obj): HealthStatus {
  const observed = num(obj, 'status', 'observedGeneration') ?? 0;
  if (observed === 0 || (num(obj, 'metadata', 'generation') ?? 0) > observed) {
    return { status: 'Progressing', message: 'Waiting for the StatefulSet spec update to be observed' };
  }
  const want = num(obj, 'spec', 'replicas') ?? 1;
  const ready = num(obj, 'status', 'readyReplicas') ?? 0;
  if (ready < want) return { status: 'Progressing', message: `Waiting for ${want - ready} pods to be ready` };
  const available = num(obj, 'status', 'availableReplicas'); // reported since Kubernetes 1.22
  if (available !== undefined && available < want) {
    return { status: 'Progressing', message: `Waiting for ${want - available} pods to be available` };
  }
  const updated = num(obj, 'status', 'updatedReplicas') ?? 0;
  if (str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
    // Pods change only when someone deletes them, so there is no rollout to wait for.
    return {
      status: 'Healthy',
      message: `StatefulSet has ${ready} ready pods (OnDelete: ${updated} updated)`,
    };
  }
  const partition = num(obj, 'spec', 'updateStrategy', 'rollingUpdate', 'partition');
  if (partition !== undefined) {
    // Only ordinals >= partition are updated; the API server defaults partition to 0.
    const target = Math.max(want - partition, 0);
    if (updated < target) {
      return {
        status: 'Progressing',
        message: `Waiting for partitioned roll out to finish: ${updated} out of ${target} new pods have been updated`,
      };
    }
    return {
      status: 'Healthy',
      message: `Partitioned roll out complete: ${updated} new pods have been updated`,
    };
  }
  const updateRevision = str(obj, 'status', 'updateRevision');
  if (updateRevision !== str(obj, 'status', 'currentRevision')) {
    return {
      status: 'Progressing',
      message: `Waiting for rolling update to complete: ${updated} pods at revision ${updateRevision}`,
    };
  }
  return {
    status: 'Healthy',
    message: `Rolling update complete: ${ready} pods at revision ${updateRevision}`,
  };
}
