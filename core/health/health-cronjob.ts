import type { HealthStatus } from './types.js';
import { field, list, type Obj, timeOf } from './unstructured.js';

/**
 * CronJob health, as Argo CD's built-in customisation: Suspended when suspended; Degraded only when we
 * know the last run failed (nothing running and no success since the last schedule); Healthy otherwise,
 * since a CronJob has no rollout to wait for and a schedule may legitimately not have fired yet.
 */
export function cronJobHealth(obj: Obj): HealthStatus {
  if (field(obj, 'spec', 'suspend') === true) return { status: 'Suspended', message: 'CronJob is suspended' };
  const lastSchedule = timeOf(field(obj, 'status', 'lastScheduleTime'));
  if (lastSchedule === undefined) return { status: 'Healthy', message: 'CronJob has not been scheduled yet' };
  const lastSuccess = timeOf(field(obj, 'status', 'lastSuccessfulTime'));
  if (list(obj, 'status', 'active').length > 0) {
    return { status: 'Healthy', message: 'A job is running; the last run may not have succeeded' };
  }
  if (lastSuccess === undefined) {
    // Cannot tell a first run still being set up from one that never succeeded.
    return { status: 'Healthy', message: 'CronJob has never completed successfully' };
  }
  if (lastSuccess < lastSchedule) {
    return { status: 'Degraded', message: 'CronJob has not completed its last run successfully' };
  }
  return { status: 'Healthy', message: 'CronJob completed its last run successfully' };
}
