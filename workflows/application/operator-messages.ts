// What an operator asks of an application by hand, beside automation: suspend and resume it, retry its
// failed rollout. Each request says who asked (and why), and the workflow records it with the time.
import { defineUpdate } from '@temporalio/workflow';

/** Who asked, as the CLI says it: a person's name and the Temporal client identity it connected with. */
export interface Requester {
  /** The person (`--by`, else $SLUICE_USER or the login name). */
  by: string;
  /** The Temporal client identity of the request ("pid@host" by default), for the audit trail. */
  identity?: string;
}

/** A request to suspend automation: why is required. */
export interface SuspendRequest extends Requester {
  reason: string;
}

/** A request to resume automation, or to retry a failed rollout: why is optional. */
export interface OperatorRequest extends Requester {
  reason?: string;
}

/** A recorded operator action: who, why and when (workflow time, ISO 8601). */
export interface OperatorRecord extends Requester {
  reason?: string;
  at: string;
}

/** What a suspension holds: who suspended the application, why and when. */
export interface Suspension extends OperatorRecord {
  reason: string;
}

/** What `rollout retry` answers: the rollout started again. */
export interface RolloutRetried {
  workflowId: string;
  revision: string;
  checksum: string;
}

/** Stops automated sync and self-heal until resumed; new commits are still seen (OutOfSync), not applied. */
export const suspendUpdate = defineUpdate<Suspension, [SuspendRequest]>('suspend');
/** Resumes automation and looks at the source and the live state at once; answers the suspension it ended. */
export const resumeUpdate = defineUpdate<Suspension, [OperatorRequest]>('resume');
/** Starts the failed rollout of the synced revision again (a failed revision is otherwise not retried). */
export const retryRolloutUpdate = defineUpdate<RolloutRetried, [OperatorRequest]>('retryRollout');
