// What a rollout does to the cluster: route traffic, wait for readiness, and its three endings —
// initialise the primary, promote, roll back — each an activity with a summary for the Temporal UI.
import { rolloutPromoted, rolloutRolledBack } from '../../core/events/kinds.js';
import { activities, kubeCall, rolloutReadyWait } from '../activity-options.js';
import { clusterTaskQueue } from '../shared/cluster-queue.js';
import { workflowNow } from '../shared/workflow-time.js';
import { failedMetric, type RolloutChecks } from './checks.js';
import type { FailedCheck, RolloutInput, RolloutStatus } from './messages.js';
import type { RolloutState } from './state.js';
import type { RequestMatch } from './types.js';

/** The rollout's moves on its target, its primary and their routes. */
export class RolloutMoves {
  private readonly onQueue: { taskQueue?: string };
  readonly primary: string;

  constructor(
    private readonly input: RolloutInput,
    private readonly state: RolloutState,
    private readonly checks: RolloutChecks,
    private readonly deadlineMs: number,
  ) {
    const queue = clusterTaskQueue(input.cluster);
    this.onQueue = queue ? { taskQueue: queue } : {};
    this.primary = `${input.target.target}-primary`;
  }

  /** Short Kubernetes calls on the destination cluster, each carrying a one-line summary. */
  kube(summary: string) {
    return activities(kubeCall, { summary, ...this.onQueue });
  }

  /** Waits for a Deployment to be ready by the progress deadline. */
  readyBy(name: string) {
    return activities(rolloutReadyWait(this.deadlineMs), {
      summary: `wait for ${name} to be ready`,
      ...this.onQueue,
    }).waitDeploymentReady({
      namespace: this.input.target.namespace,
      name,
      deadlineAt: workflowNow() + this.deadlineMs,
    });
  }

  /** Sets the routes absolutely: `weight`% to the canary, the rest to the primary. */
  async route(weight: number, extra: { match?: RequestMatch[]; mirror?: boolean } = {}): Promise<void> {
    await this.kube(
      `shift weight → ${weight}% canary${extra.match ? ' (A/B match)' : ''}${extra.mirror ? ' (mirrored)' : ''}`,
    ).setTrafficRoutes({
      target: this.input.target,
      routes: { primaryWeight: 100 - weight, canaryWeight: weight, ...extra },
    });
    this.state.st.canaryWeight = weight;
  }

  /** Scales the canary (the target Deployment). */
  async scaleCanary(replicas: number): Promise<void> {
    const { target } = this.input;
    await this.kube(`scale ${target.target} (canary) to ${replicas}`).scaleDeployment({
      namespace: target.namespace,
      name: target.target,
      replicas,
    });
  }

  /** Routes everything back to the primary, scales the canary to zero, and announces the rollback. */
  async rollBack(failed: FailedCheck): Promise<RolloutStatus> {
    const { st } = this.state;
    const weightAtFailure = st.canaryWeight;
    this.state.setPhase('RollingBack', failed.message);
    await this.route(0);
    await this.scaleCanary(0);
    st.failed = failed;
    this.state.setPhase('Failed', `rolled back: ${failed.message}`);
    await this.checks.hooks('post-rollout');
    const metric = failedMetric(failed);
    await this.checks.announce(
      rolloutRolledBack(this.checks.subject, {
        reason: failed.message,
        ...(metric ? { metric } : {}),
        weight: weightAtFailure,
      }),
    );
    return st;
  }

  /** Copies the new version to the primary, routes everything to it and scales the canary to zero. */
  async promote(): Promise<RolloutStatus> {
    const { target } = this.input;
    this.state.setPhase('Promoting', 'copying the new version to the primary');
    await this.kube(`copy ${target.target} to ${this.primary}`).promoteToPrimary(target);
    const ready = await this.readyBy(this.primary);
    if (!ready.ready) return this.rollBack({ name: 'primary-ready', message: ready.message });
    await this.route(0);
    await this.scaleCanary(0);
    this.state.setPhase('Succeeded', `promoted ${this.input.checksum} to ${this.primary}`);
    await this.checks.hooks('post-rollout');
    await this.checks.announce(rolloutPromoted(this.checks.subject));
    return this.state.st;
  }

  /** The first revision: creates the primary from the target and routes everything to it. */
  async initialize(): Promise<RolloutStatus> {
    const { target } = this.input;
    const { st } = this.state;
    await this.kube(`services ${target.service.name}, -primary, -canary`).ensureRolloutServices(target);
    await this.kube(`copy ${target.target} to ${this.primary}`).promoteToPrimary(target);
    const ready = await this.readyBy(this.primary);
    if (!ready.ready) {
      this.state.setPhase('Failed', ready.message);
      return st;
    }
    await this.kube(`reconcile ${target.provider} routing`).reconcileTraffic({ target });
    await this.route(0);
    await this.scaleCanary(0);
    this.state.setPhase(
      'Initialized',
      `${this.primary} serves ${this.input.checksum}; later revisions roll out progressively`,
    );
    await this.checks.announce({
      type: 'rollout.initialized',
      severity: 'info',
      ...this.checks.subject,
      message: `${this.input.app}: ${st.message}`,
    });
    return st;
  }

  /** Ends the rollout for an abort or a newer revision (promote requests never get here). */
  async interruption(): Promise<RolloutStatus> {
    if (this.state.abortReason !== undefined)
      return this.rollBack({ name: 'abort', message: this.state.abortReason });
    await this.route(0);
    this.state.setPhase('Superseded', this.state.st.message);
    return this.state.st;
  }
}
