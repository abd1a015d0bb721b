// Every activity option preset the workflows use, by what the call does. Timeouts and retries are not
// part of replay, but they are behaviour. A short call gets a start-to-close of seconds; a call that can
// run longer heartbeats (activities/keep-alive.ts) and its preset has a heartbeat timeout, so a task
// lost with its worker is retried within that timeout rather than after start-to-close (README,
// "Activity timeouts"). A workflow asks for a proxy with `activities(preset, { summary, taskQueue })`.
import { type ActivityOptions, proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities/index.js';
import { alertNonRetryableErrorTypes, nonRetryableErrorTypes } from '../core/errors.js';

/** Where one call runs (the destination cluster's queue, if any) and the line the Temporal UI shows for it. */
export interface CallSite {
  summary?: string;
  taskQueue?: string;
}

/** A typed activity proxy with a preset's options plus the call's summary and task queue (each only when given). */
export function activities<A = SluiceActivities>(preset: ActivityOptions, site: CallSite = {}) {
  return proxyActivities<A>({
    ...preset,
    ...(site.summary !== undefined ? { summary: site.summary } : {}),
    ...(site.taskQueue ? { taskQueue: site.taskQueue } : {}),
  });
}

/** How long a heartbeating activity may go silent before Temporal retries it elsewhere. */
export const HEARTBEAT_TIMEOUT = '30 seconds';

/** Backs off 1 s → 30 s over 5 attempts; permanent errors are not retried. */
const backoff: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 5,
  nonRetryableErrorTypes,
};

/** A short Kubernetes call of a rollout (services, routes, scale, promote): 30 seconds, 10 attempts. */
export const kubeCall: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes },
};

/** A short Kubernetes call of the application's rollout bookkeeping (inspect, hand back): 30 seconds, 5 attempts. */
export const appKubeCall: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes },
};

/** The application's own calls (resolve the source revision, a git ls-remote): 2 minutes, heartbeating, 5 attempts. */
export const appCall: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 5, nonRetryableErrorTypes },
};

/** A self-heal comparison of desired and live state: 2 minutes, heartbeating, 5 attempts, every error retried. */
export const driftCompare: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 5 },
};

/** Deleting a removed application's objects and rollout: 5 minutes, heartbeating, 10 attempts. */
export const removalCall: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 10, nonRetryableErrorTypes },
};

/** One step of a sync (diff, apply, prune of many objects): 5 minutes, heartbeating, with backoff. */
export const syncStep: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: backoff,
};

/** Rendering an application's manifests (a chart pull or a kustomize build can be slow): 10 minutes, heartbeating, with backoff. */
export const render: ActivityOptions = { ...syncStep, startToCloseTimeout: '10 minutes' };

/** Waiting for a sync's wave or hooks to be healthy: the health timeout, heartbeating, 2 attempts. */
export const healthWait = (healthTimeout: string): ActivityOptions => ({
  startToCloseTimeout: healthTimeout,
  heartbeatTimeout: '10 seconds',
  retry: { ...backoff, maximumAttempts: 2 },
});

/** Resolving and loading a watched repository's commit (a first clone can be slow): 5 minutes, heartbeating, with backoff. */
export const gitFetch: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: backoff,
};

/** The watcher's one resolution of its Applications' sources per poll (an ls-remote per repository): 2 minutes, heartbeating, with backoff. */
export const sourcesResolve: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: backoff,
};

/** The watcher starting up to 100 applications with the client, heartbeating: 2 minutes, with backoff. */
export const appStarts: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: backoff,
};

/** The files two commits differ in (path-filtered git triggers): 2 minutes, heartbeating, 3 attempts. */
export const gitChangedPaths: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 3 },
};

/** Waiting for a rollout's Deployment to be ready by its progress deadline, heartbeating: 10 attempts. */
export const rolloutReadyWait = (deadlineMs: number): ActivityOptions => ({
  startToCloseTimeout: deadlineMs + 60_000,
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 10 },
});

/** Waiting for a target to be ready before it takes the traffic back from its primary: 3 attempts. */
export const handBackWait = (deadlineMs: number): ActivityOptions => ({
  startToCloseTimeout: deadlineMs + 60_000,
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 3, nonRetryableErrorTypes },
});

/** A rollout's webhooks, gates and metric analysis, heartbeating: 3 minutes, 5 attempts. */
export const rolloutCheck: ActivityOptions = {
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 5 },
};

/**
 * An analysis round with job metrics, heartbeating: it waits for its Jobs, so the longest job timeout
 * plus two minutes for creating, reading and deleting them; 5 attempts (a retry adopts the same Jobs).
 */
export const rolloutJobCheck = (longestJobMs: number): ActivityOptions => ({
  ...rolloutCheck,
  startToCloseTimeout: longestJobMs + 120_000,
});

/** Emitting an event or asking for a Pipeline's run lock: 30 seconds, 10 attempts. */
export const bookkeeping: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10 },
};

/** The run lock asking whether its holder still runs: 30 seconds, 5 attempts. */
export const lockLiveness: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
};

/** The trigger workflow's schedule calls (one Temporal API call): 30 seconds, 10 attempts. */
export const triggerCall: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10 },
};

/** Waiting (up to a day, heartbeating) for an Application to reach an event at a new revision. */
export const appEventWait: ActivityOptions = {
  startToCloseTimeout: '1 day',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '5s', maximumInterval: '1 minute' },
};

/** One Pipeline step activity: the step's timeout and retry policy, heartbeating. */
export const pipelineStep = (timeout: string, retry: RetryPolicy): ActivityOptions => ({
  startToCloseTimeout: timeout,
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry,
});

/** Verifying a signed approval: 10 seconds, 5 attempts. */
export const approvalCheck: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
};

/** Default retry policy of deliverAlert; Retry-After from a 429 overrides the interval of the next attempt. */
export const alertRetryPolicy: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 6,
  nonRetryableErrorTypes: alertNonRetryableErrorTypes,
};

/** Delivering one alert: 30 seconds an attempt, bounded overall (default 3 minutes) so a dead provider cannot hold the caller. */
export const alertDelivery = (
  scheduleToCloseTimeout: ActivityOptions['scheduleToCloseTimeout'] = '3 minutes',
  retry: RetryPolicy = alertRetryPolicy,
): ActivityOptions => ({ startToCloseTimeout: '30 seconds', scheduleToCloseTimeout, retry });

/** The stack smoke test's apply: 30 seconds, 5 attempts 1 s apart at first. */
export const smokeApply: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, initialInterval: '1 second' },
};

/** The stack smoke test's wait for a Deployment, heartbeating, once. */
export const smokeWait = (timeout: string): ActivityOptions => ({
  startToCloseTimeout: timeout,
  heartbeatTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

/** Listing an image repository's tags (paged, heartbeating): 2 minutes, 3 attempts; the next interval tries again. */
export const imageScan: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { ...backoff, maximumAttempts: 3 },
};

/** Writing an image selection to Git (clone, commit, push; heartbeating): 5 minutes, with backoff. */
export const imageWriteBack: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: backoff,
};
