// Runs a job metric: creates its Job in the Rollout's namespace once the Project allows it, waits for
// the Job to end, and deletes it. Retry-safe: the Job's name is derived from the measurement, so a
// retried activity adopts the Job its earlier attempt created, and the timeout counts from the Job's
// creation, not from the retry.
import { Context } from '@temporalio/activity';
import { jobTimeoutMs } from '../../../core/analysis/job-metric.js';
import type { AnalysisTarget } from '../../../core/analysis/types.js';
import type { Caller } from '../../../core/identity.js';
import type { MetricValue } from '../../../plugins/metrics/types.js';
import type { JobMetric, MetricTemplateSpec } from '../../../schemas/types.generated.js';
import type { KubeClients } from '../../kube/client.js';
import { checkObject } from '../../sync/project-policy.js';
import type { ProjectRegistry } from '../../trust/projects.js';
import { type JobObject, jobManifest } from './manifest.js';
import { jobMetricName } from './name.js';
import { jobOutcome } from './result.js';

/** A job metric's Job did not end within its timeout (the check is an Error; the Job is deleted). */
export class JobMetricTimeout extends Error {
  override name = 'JobMetricTimeout' as const;
}

/** What running a job metric needs besides the check. */
export interface JobMetricContext {
  kube?: KubeClients;
  projects?: ProjectRegistry;
  caller: Caller;
  rollout: AnalysisTarget;
  /** The destination cluster the Rollout runs in (its Project's destinations name it). */
  cluster: string;
  /** Identifies the analysis round across retries of its activity (absent: job metrics are an Error). */
  measurement?: string;
  /** Fills the placeholders of the Job's strings, as a query's. */
  fill: (s: string) => string;
  /** How often the Job is read while it runs (default 1 s). */
  pollMs?: number;
}

/** What one job metric measured: 1 (succeeded) or 0 (failed), the Job's name and why it ended. */
export interface JobMeasurement {
  value: MetricValue;
  job: string;
  reason: string;
}

/** Identifies this analysis round across retries: the activity's workflow run and activity id; undefined outside an activity. */
export function activityMeasurement(): string | undefined {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    return undefined;
  }
  const run = info.workflowExecution;
  return run ? `${run.workflowId}/${run.runId}/${info.activityId}` : undefined;
}

/** Creates (or adopts) the check's Job, waits for it to end or time out, then deletes it. */
export async function measureJob(
  check: string,
  template: MetricTemplateSpec,
  ctx: JobMetricContext,
): Promise<JobMeasurement> {
  const { kube, projects, rollout } = ctx;
  if (!ctx.measurement)
    throw new Error('a job metric runs in the analysis activity, or with an explicit measurement key');
  if (!kube || !projects)
    throw new Error('job metrics need the Kubernetes clients and the Project registry (worker wiring)');
  const name = jobMetricName(ctx.measurement, check);
  const job = jobManifest({
    job: template.job as JobMetric,
    name,
    namespace: rollout.namespace,
    rollout: rollout.name,
    check,
    fill: ctx.fill,
  });
  // Checked now, with the Project as the administrator defines it: the sync's own rule for objects.
  checkObject(
    await projects.policyFor(ctx.caller),
    `Rollout ${rollout.name} (project ${ctx.caller.project}) metric ${check}`,
    ctx.cluster,
    { ref: { apiVersion: 'batch/v1', kind: 'Job', namespace: rollout.namespace, name }, namespaced: true },
  );
  const timeoutMs = jobTimeoutMs(template);
  try {
    const created = await createOrAdopt(kube, job);
    const started = Date.parse(String(created.metadata?.creationTimestamp ?? '')) || Date.now();
    for (let live = created; ; live = await read(kube, job)) {
      const outcome = jobOutcome(live.status as Parameters<typeof jobOutcome>[0]);
      if (outcome.ended)
        return {
          value: { kind: 'value', value: outcome.succeeded ? 1 : 0 },
          job: name,
          reason: outcome.reason,
        };
      if (Date.now() - started >= timeoutMs)
        throw new JobMetricTimeout(
          `job ${name} neither succeeded nor failed within ${template.job?.timeout ?? `${timeoutMs / 1000}s`}: deleted`,
        );
      await pause(ctx.pollMs ?? 1000);
    }
  } finally {
    // The result is in hand (or never will be): the Job and its pods go. Best effort: a leftover Job is
    // labelled with its Rollout and check.
    await kube.objects
      .delete(job, undefined, undefined, undefined, undefined, 'Background')
      .catch(() => undefined);
  }
}

type LiveJob = JobObject & {
  status?: unknown;
  metadata: JobObject['metadata'] & { creationTimestamp?: unknown };
};

async function read(kube: KubeClients, job: JobObject): Promise<LiveJob> {
  return (await kube.objects.read({
    apiVersion: job.apiVersion,
    kind: job.kind,
    metadata: { name: job.metadata.name, namespace: job.metadata.namespace },
  })) as unknown as LiveJob;
}

/** Creates the Job; one that exists already (an earlier attempt's) is read instead. */
async function createOrAdopt(kube: KubeClients, job: JobObject): Promise<LiveJob> {
  try {
    return (await kube.objects.create(job)) as unknown as LiveJob;
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
    const found = await read(kube, job);
    // Adopt only a Job made for the same Rollout and check, never one that merely has the name.
    const mine = Object.entries(job.metadata.labels).every(([k, v]) => found.metadata.labels?.[k] === v);
    if (!mine)
      throw new Error(
        `job ${job.metadata.namespace}/${job.metadata.name} exists and was not made for this check: delete it or rename the check`,
      );
    return found;
  }
}

/** Waits `ms`; in an activity it rejects once the activity is cancelled (an aborted rollout), so the Job goes. */
function pause(ms: number): Promise<void> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return new Promise((r) => setTimeout(r, ms)); // not inside an activity (unit tests)
  }
  return ctx.sleep(ms);
}
