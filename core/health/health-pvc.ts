import type { HealthStatus } from './types.js';
import { type Obj, str } from './unstructured.js';

/** PersistentVolumeClaim health by phase: Bound, Pending (waiting for a volume or a first consumer), Lost. */
export function pvcHealth(obj: Obj): HealthStatus {
  const phase = str(obj, 'status', 'phase');
  switch (phase) {
    case 'Bound':
      return { status: 'Healthy', message: `Bound to volume ${str(obj, 'spec', 'volumeName') ?? ''}`.trim() };
    case 'Pending':
      return { status: 'Progressing', message: 'Waiting for the claim to be bound' };
    case 'Lost':
      return { status: 'Degraded', message: 'The claim lost its volume' };
    default:
      return { status: 'Unknown', message: `Unknown claim phase ${phase ?? '(none)'}` };
  }
}
