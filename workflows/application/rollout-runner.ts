import {
  type ChildWorkflowHandle,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  ParentClosePolicy,
  startChild,
} from '@temporalio/workflow';
import { DEFAULT_ANALYSIS_INTERVAL } from '../../core/analysis/types.js';
import type { IgnoreDifference } from '../../core/diff/types.js';
import { runStatus } from '../../core/run-endings.js';
import { activities, appKubeCall, handBackWait } from '../activity-options.js';
import { type RolloutStatus, supersedeSignal } from '../rollout/messages.js';
import type { RolloutTarget } from '../rollout/types.js';
import { rolloutWorkflow, rolloutWorkflowId } from '../rollout/workflow.js';
import { clusterTaskQueue } from '../shared/cluster-queue.js';
import { failureMessage } from '../shared/failure-message.js';
import { SluiceApp, SluiceKind, SluiceRevision } from '../shared/search-attributes.js';
import { workflowNow } from '../shared/workflow-time.js';
import { type DesiredApplication, ownerOf } from './messages.js';
import { routingFields } from './rollout-routing.js';

/** What the application remembers of its rollouts across continue-as-new. */
export interface RolloutMemory {
  /** The running (or last) rollout. */
  current?: RolloutStatus & { workflowId: string };
  running: boolean;
  /** A revision that failed its rollout: not retried until the target changes again (as Flagger does). */
  failedChecksum?: string;
  /** Why the last rollout could not start, e.g. its target Deployment does not exist. */
  lastError?: string;
  /** The objects of the last rollout started: what to hand back when the Application stops naming a Rollout. */
  target?: RolloutTarget;
}

/** The names a rollout works with, resolved from the Rollout and the Application's destination. */
export function rolloutTarget(desired: DesiredApplication): RolloutTarget | undefined {
  const r = desired.rollout;
  if (!r) return undefined;
  const s = r.spec;
  const dest = (desired.spec as { destination: { namespace: string } }).destination;
  return {
    rollout: r.name,
    namespace: dest.namespace,
    target: s.targetRef.name,
    service: {
      name: s.service.name ?? s.targetRef.name,
      port: s.service.port,
      portName: s.service.portName ?? 'http',
      ...(s.service.targetPort !== undefined ? { targetPort: s.service.targetPort } : {}),
      ...(s.service.hosts ? { hosts: s.service.hosts } : {}),
      ...(s.service.gateways ? { gateways: s.service.gateways } : {}),
      ...(s.service.timeout ? { timeout: s.service.timeout } : {}),
      ...routingFields(s.service, s.analysis?.interval ?? DEFAULT_ANALYSIS_INTERVAL),
    },
    // The watcher writes the administrator's default into spec.provider; 'kubernetes' is the default without one.
    provider: s.provider ?? 'kubernetes',
    ...(s.ingressRef ? { ingress: s.ingressRef.name } : {}),
  };
}

/** The rollout drives the target's replicas (zero between rollouts): syncs must not compare or reset them. */
export function rolloutKeepLive(desired: DesiredApplication): IgnoreDifference[] {
  const t = rolloutTarget(desired);
  return t ? [{ group: 'apps', kind: 'Deployment', name: t.target, jsonPointers: ['/spec/replicas'] }] : [];
}

// How long a handed-back target may take to become ready before the hand-back is retried at the next sync.
const HAND_BACK_DEADLINE_MS = 10 * 60_000;

/** Same Rollout over the same Deployment and Service? (Otherwise the old one's workload is handed back.) */
function sameWorkload(a: RolloutTarget, b: RolloutTarget | undefined): boolean {
  return (
    b !== undefined &&
    a.rollout === b.rollout &&
    a.namespace === b.namespace &&
    a.target === b.target &&
    a.service.name === b.service.name
  );
}

/** The task queue of the Application's destination cluster, as proxyActivities options. */
function queueOf(desired: DesiredApplication): { taskQueue?: string } {
  const queue = clusterTaskQueue((desired.spec as { destination: { cluster?: string } }).destination.cluster);
  return queue ? { taskQueue: queue } : {};
}

/** The rollout activities on the Application's destination cluster. */
function kubeActivities(desired: DesiredApplication) {
  return activities(appKubeCall, queueOf(desired));
}

/**
 * Starts a rollout child when a sync left the target at a revision the primary does not serve:
 * the first revision initialises the primary; a newer one supersedes a running rollout, which then
 * starts again from step one. Rollouts outlive a stopped application (ABANDON).
 */
export class RolloutRunner {
  private handle?: ChildWorkflowHandle<typeof rolloutWorkflow>;

  constructor(
    private readonly memory: RolloutMemory,
    /** Told when a workload was handed back (for the application's alerts). */
    private readonly onHandedBack: (target: RolloutTarget, revision: string) => void = () => {},
  ) {}

  /**
   * Looks at the target after a successful sync and starts (or restarts) its rollout when it changed.
   * A rollout that cannot start (target missing, unusable selector) is recorded as failed; it never
   * fails the application, which keeps syncing.
   */
  async afterSync(desired: DesiredApplication, revision: string): Promise<void> {
    const previous = this.memory.target;
    try {
      if (previous && !sameWorkload(previous, rolloutTarget(desired))) {
        if (await this.handBack(desired, previous)) this.onHandedBack(previous, revision);
      }
      await this.startIfChanged(desired, revision);
    } catch (err) {
      if (isCancellation(err)) throw err;
      const what =
        previous && this.memory.target === previous ? 'could not be handed back' : 'could not start';
      const message = `rollout ${desired.rollout?.name ?? previous?.rollout} ${what}: ${failureMessage(err)}`;
      log.warn(message, { revision });
      this.memory.lastError = message;
    }
  }

  /**
   * The Application no longer names this Rollout (as Flagger's revertOnDeletion): stop its rollout, scale the
   * target back up, and once it is ready route everything to it through the same Service names and delete
   * the primary. Until then the primary keeps serving; a failure is retried after the next sync.
   */
  private async handBack(desired: DesiredApplication, target: RolloutTarget): Promise<boolean> {
    const kube = kubeActivities(desired);
    const current = this.memory.current;
    if (this.memory.running && current) {
      await kube.terminateRollout({
        workflowId: current.workflowId,
        reason: `application ${desired.name} no longer names Rollout ${target.rollout}`,
      });
      this.memory.running = false;
    }
    const plan = await kube.unparkTarget(target);
    if (plan.primaryExists && !plan.targetExists)
      throw new Error(
        `its target Deployment ${target.namespace}/${target.target} is gone, so ${target.target}-primary keeps serving`,
      );
    if (plan.primaryExists) {
      const ready = await activities(handBackWait(HAND_BACK_DEADLINE_MS), {
        summary: `wait for ${target.target} to be ready before it takes the traffic back`,
        ...queueOf(desired),
      }).waitDeploymentReady({
        namespace: target.namespace,
        name: target.target,
        deadlineAt: workflowNow() + HAND_BACK_DEADLINE_MS,
      });
      if (!ready.ready) throw new Error(`${ready.message}; ${target.target}-primary keeps serving`);
      const { deleted } = await kube.handBackToTarget(target);
      log.info('rollout removed: the target serves again', { rollout: target.rollout, deleted });
    }
    this.memory.target = undefined;
    this.memory.current = undefined;
    this.memory.failedChecksum = undefined;
    return plan.primaryExists;
  }

  private async startIfChanged(desired: DesiredApplication, revision: string): Promise<void> {
    this.memory.lastError = undefined;
    const target = rolloutTarget(desired);
    const rollout = desired.rollout;
    if (!target || !rollout) return;
    const cluster = (desired.spec as { destination: { cluster?: string } }).destination.cluster;
    const kube = kubeActivities(desired);
    await kube.checkRolloutScope({ target, owner: ownerOf(desired), cluster: cluster ?? 'in-cluster' });
    const seen = await kube.inspectRollout(target);
    this.memory.target = target;
    const initialize = !seen.primaryExists;
    const current = this.memory.current;
    if (!initialize && seen.primaryChecksum === seen.targetChecksum) {
      // A sync re-applied an unchanged target (scaling it up): it serves no traffic, so back to zero.
      if (!this.memory.running && seen.targetReplicas > 0)
        await kube.scaleDeployment({ namespace: target.namespace, name: target.target, replicas: 0 });
      return;
    }
    if (this.memory.running && current?.checksum === seen.targetChecksum) return;
    if (!this.memory.running && this.memory.failedChecksum === seen.targetChecksum) return;
    if (this.memory.running && current) {
      log.info('newer revision during a rollout: superseding it', { rollout: current.workflowId });
      await getExternalWorkflowHandle(current.workflowId).signal(supersedeSignal, { revision });
      await condition(() => !this.memory.running);
    }
    const workflowId = rolloutWorkflowId(desired.repoId, desired.name, revision, seen.targetChecksum);
    this.handle = await startChild(rolloutWorkflow, {
      workflowId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          repoId: desired.repoId,
          app: desired.name,
          project: desired.project,
          revision,
          target,
          spec: rollout.spec,
          checksum: seen.targetChecksum,
          replicas: seen.primaryReplicas,
          initialize,
          rolloutNamespace: rollout.namespace,
          metricTemplates: desired.metricTemplates ?? {},
          alertProviders: desired.alertProviders ?? {},
          ...(cluster ? { cluster } : {}),
        },
      ],
      typedSearchAttributes: [
        { key: SluiceApp, value: desired.name },
        { key: SluiceKind, value: 'rollout' },
        { key: SluiceRevision, value: revision },
      ],
    });
    this.memory.running = true;
    this.memory.current = {
      workflowId,
      rollout: target.rollout,
      app: desired.name,
      namespace: target.namespace,
      revision,
      checksum: seen.targetChecksum,
      phase: initialize ? 'Initializing' : 'Progressing',
      step: 0,
      steps: 0,
      canaryWeight: 0,
      failedChecks: 0,
      threshold: rollout.spec.analysis?.threshold ?? 5,
      analysisRounds: 0,
      message: 'started',
    };
    await this.track(this.handle, workflowId);
  }

  /** Records the rollout's end without blocking the application (runs beside its main loop). */
  private track(handle: ChildWorkflowHandle<typeof rolloutWorkflow>, workflowId: string): Promise<void> {
    // A rollout handed back (or replaced) meanwhile is no longer the current one: its end changes nothing.
    const isCurrent = () => this.memory.current?.workflowId === workflowId;
    // A rolled-back rollout fails its workflow (one from before completed): either way with its final status.
    const done = runStatus(handle.result()).then(
      (status) => {
        if (!isCurrent()) return;
        this.memory.current = { ...status, workflowId };
        if (status.phase === 'Failed') this.memory.failedChecksum = status.checksum;
      },
      (err: unknown) => {
        log.warn('rollout ended with an error', { workflowId, error: String(err) });
        if (this.memory.current && isCurrent()) {
          this.memory.current = { ...this.memory.current, phase: 'Failed', message: String(err) };
          this.memory.failedChecksum = this.memory.current.checksum;
        }
      },
    );
    const finished = done.finally(() => {
      if (!this.memory.current || isCurrent()) this.memory.running = false;
    });
    // Deliberately not awaited by the caller beyond this point: the application keeps watching.
    finished.catch(() => undefined);
    return Promise.resolve();
  }
}
