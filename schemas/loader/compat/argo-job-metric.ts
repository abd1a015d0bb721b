// How long a converted Argo job metric waits. Argo waits for the Job as long as it runs (the Job's
// activeDeadlineSeconds, if any, ends it); a Sluice job metric has a timeout, at most JOB_TIMEOUT_MAX.
import { JOB_TIMEOUT_DEFAULT, JOB_TIMEOUT_MAX } from '../../../core/analysis/job-metric.js';
import { durationMs } from '../../../core/duration.js';
import type { Conversion } from './conversion.js';

/** Time the Job controller gets to mark a Job failed once its deadline passed. */
const DEADLINE_GRACE_S = 60;

/**
 * The MetricTemplate's spec.job.timeout for an Argo Job spec (at `at`): a minute past the Job's own
 * activeDeadlineSeconds, so the Job's deadline fails it as in Argo; the default when it sets none, with a
 * warning, as Argo would wait longer.
 */
export function argoJobTimeout(c: Conversion, at: string, spec: unknown): string | undefined {
  const deadline = (spec as { activeDeadlineSeconds?: unknown } | undefined)?.activeDeadlineSeconds;
  const maxS = durationMs(JOB_TIMEOUT_MAX) / 1000;
  if (typeof deadline !== 'number') {
    c.warn(
      at,
      `Argo waits for this Job as long as it runs; Sluice gives up after ${JOB_TIMEOUT_DEFAULT} (an Error): set spec.job.timeout (at most ${JOB_TIMEOUT_MAX}) or activeDeadlineSeconds`,
    );
    return undefined;
  }
  if (deadline + DEADLINE_GRACE_S <= maxS) return `${deadline + DEADLINE_GRACE_S}s`;
  c.warn(
    `${at}.activeDeadlineSeconds`,
    `Sluice waits at most ${JOB_TIMEOUT_MAX} for a job metric: a Job still running then is an Error, not a failure`,
  );
  return JOB_TIMEOUT_MAX;
}
