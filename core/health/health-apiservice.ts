import type { HealthStatus } from './types.js';
import { findCondition, type Obj } from './unstructured.js';

/** APIService health from its Available condition; not available yet (or any more) is Progressing, as in Argo CD. */
export function apiServiceHealth(obj: Obj): HealthStatus {
  const available = findCondition(obj, 'Available');
  if (!available) return { status: 'Progressing', message: 'Waiting to be processed' };
  const message = [available.reason, available.message].filter(Boolean).join(': ');
  return { status: available.status === 'True' ? 'Healthy' : 'Progressing', message };
}
