import type { HealthStatus } from './types.js';
import { findCondition, num, type Obj, str } from './unstructured.js';

// A Ready=False reason that names a failure rather than a wait (ReconciliationFailed, InstallFailed,
// ValidationError, InvalidSpec, …). Anything else (Progressing, Pending, DependencyNotReady, …) waits.
const FAILURE_REASON = /fail|error|invalid|backoff|exceeded|denied|forbidden/i;

/**
 * Health of a kind without a built-in check, after kstatus's conventions: an unobserved generation or
 * Reconciling=True is Progressing, Stalled=True is Degraded, and a Ready condition decides — True is
 * Healthy, False is Degraded when its reason names a failure and Progressing otherwise. A kind with no
 * such conditions (ConfigMap, Secret, most CRs without status) is Healthy: existing is all it can do.
 */
export function genericHealth(obj: Obj): HealthStatus {
  const observed = num(obj, 'status', 'observedGeneration');
  const generation = num(obj, 'metadata', 'generation');
  if (observed !== undefined && generation !== undefined && observed < generation) {
    return {
      status: 'Progressing',
      message: `Waiting for the controller to observe generation ${generation}`,
    };
  }
  const stalled = findCondition(obj, 'Stalled');
  if (stalled?.status === 'True') return { status: 'Degraded', message: stalled.message ?? stalled.reason };
  const reconciling = findCondition(obj, 'Reconciling');
  if (reconciling?.status === 'True') {
    return { status: 'Progressing', message: reconciling.message ?? reconciling.reason };
  }
  const ready = findCondition(obj, 'Ready');
  if (ready?.status === 'True') return { status: 'Healthy', message: ready.message };
  if (ready?.status === 'False') {
    return {
      status: FAILURE_REASON.test(ready.reason ?? '') ? 'Degraded' : 'Progressing',
      message: ready.message ?? ready.reason,
    };
  }
  if (ready) return { status: 'Progressing', message: ready.message ?? 'Ready condition is Unknown' };
  return { status: 'Healthy', message: `no health check for ${str(obj, 'kind') ?? 'this kind'}` };
}
