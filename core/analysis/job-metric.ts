// Pure facts about job metrics (MetricTemplate provider "job") shared by the loader, which refuses a
// timeout over the cap, the rollout workflow, which sizes the analysis activity's timeout from it, and
// the activity, which gives up on a Job when it runs out.
import type { MetricTemplateSpec } from '../../schemas/types.generated.js';
import { durationMs } from '../duration.js';

/** How long a Job may run when its MetricTemplate sets no timeout. */
export const JOB_TIMEOUT_DEFAULT = '5m';

/** The longest timeout a job metric may set: an analysis round waits for its Jobs. */
export const JOB_TIMEOUT_MAX = '30m';

/** Whether a check's MetricTemplate runs a Job. */
export function isJobMetric(template: MetricTemplateSpec | undefined): boolean {
  return template?.provider.type === 'job';
}

/** A job metric's timeout in milliseconds (the default when unset). */
export function jobTimeoutMs(template: MetricTemplateSpec | undefined): number {
  return durationMs(template?.job?.timeout ?? JOB_TIMEOUT_DEFAULT);
}
