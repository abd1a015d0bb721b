// Reading a Job's end from its status conditions, as the Job controller writes them.

/** Where a Job is: still running, or ended with why. */
export type JobOutcome = { ended: false } | { ended: true; succeeded: boolean; reason: string };

interface JobStatus {
  conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
}

/**
 * A Job has ended when its `Complete` or `Failed` condition is True (Kubernetes 1.31+ writes
 * `SuccessCriteriaMet` / `FailureTarget` first, while pods still terminate: those count as ended too).
 */
export function jobOutcome(status: JobStatus | undefined): JobOutcome {
  const conditions = (status?.conditions ?? []).filter((c) => c.status === 'True');
  const failed = conditions.find((c) => c.type === 'Failed' || c.type === 'FailureTarget');
  if (failed)
    return {
      ended: true,
      succeeded: false,
      reason: [failed.reason, failed.message].filter(Boolean).join(': ') || 'failed',
    };
  const done = conditions.find((c) => c.type === 'Complete' || c.type === 'SuccessCriteriaMet');
  if (done) return { ended: true, succeeded: true, reason: 'completed' };
  return { ended: false };
}
