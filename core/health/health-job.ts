import type { HealthStatus } from './types.js';
import { field, findCondition, num, type Obj } from './unstructured.js';

/** Job health from its terminal conditions: Complete, Failed (or FailureTarget, failing now), Suspended; else running. */
export function jobHealth(obj: Obj): HealthStatus {
  const isTrue = (type: string) => {
    const c = findCondition(obj, type);
    return c?.status === 'True' ? c : undefined;
  };
  const failed = isTrue('Failed') ?? isTrue('FailureTarget');
  if (failed) return { status: 'Degraded', message: failed.message ?? failed.reason ?? 'Job failed' };
  const complete = isTrue('Complete');
  if (complete) return { status: 'Healthy', message: complete.message ?? 'Job completed' };
  const suspended = isTrue('Suspended');
  if (suspended || field(obj, 'spec', 'suspend') === true) {
    return { status: 'Suspended', message: suspended?.message ?? 'Job is suspended' };
  }
  const active = num(obj, 'status', 'active') ?? 0;
  const succeeded = num(obj, 'status', 'succeeded') ?? 0;
  return { status: 'Progressing', message: `Job is running: ${active} active, ${succeeded} succeeded` };
}
