// An application's alerts: its spec.alerts resolved to the AlertProviders the watcher handed over,
// and one announcement per sync outcome. Announcing never fails or holds up a sync: each announcement
// is delivered beside it (a provider that keeps failing retries without delaying the sync or the
// other providers), and notify swallows delivery errors.
import { log } from '@temporalio/workflow';
import type { SluiceEvent } from '../../core/events/event.js';
import {
  applicationDrifted,
  applicationRecovered,
  applicationRemoved,
  applicationResumed,
  applicationSuspended,
  driftHealed,
  type EventSubject,
  type OperatorAction,
  rolloutHandedBack,
  syncDegraded,
  syncFailed,
  syncStarted,
  syncSucceeded,
} from '../../core/events/kinds.js';
import type { Alert, AlertProvider, AlertProviderSpec } from '../../schemas/types.generated.js';
import {
  type AlertRoute,
  type AlertState,
  newAlertState,
  notify,
  resolveAlertRoutes,
} from '../shared/alerts.js';
import type { SyncResult } from '../sync/workflow.js';
import type { DesiredApplication } from './messages.js';

/** AlertProviders keyed "namespace/name" (as the watcher hands them over) as resolveAlertRoutes takes them. */
export function alertProviderObjects(byKey: Record<string, AlertProviderSpec> = {}): AlertProvider[] {
  return Object.entries(byKey).map(([key, spec]) => {
    const [namespace, name] = key.split('/') as [string, string];
    return { apiVersion: 'sluice.dev/v1alpha1', kind: 'AlertProvider', metadata: { namespace, name }, spec };
  });
}

/** The routes of an Application's spec.alerts; alerts whose provider is missing are listed, not routed. */
export function applicationAlertRoutes(desired: DesiredApplication): {
  routes: AlertRoute[];
  missing: string[];
} {
  const alerts = desired.spec.alerts as Alert[] | undefined;
  return resolveAlertRoutes(
    alerts,
    alertProviderObjects(desired.alertProviders),
    { repoId: desired.repoId, project: desired.project },
    desired.namespace,
  );
}

/** How a sync came about: self-heal syncs announce "drift healed" instead of started/succeeded. */
export interface SyncCause {
  /** The drifted objects a self-heal sync puts back ("group/Kind ns/name"). */
  healing?: string[];
}

/** Announcements in flight: a workflow announces without waiting, and drains them before continue-as-new. */
export class Announcements {
  private readonly pending = new Set<Promise<void>>();

  /** Sends an event to the routes in the background (notify never fails the caller). */
  send(state: AlertState, routes: AlertRoute[], event: SluiceEvent): void {
    if (routes.length === 0) return;
    // notify never throws, except to pass on a cancellation, which the workflow itself sees too.
    const delivery: Promise<void> = notify(state, routes, event)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Resolves once every announcement in flight was delivered or given up on. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

/** The alerts of one application workflow; the state lives in ApplicationState, so it survives continue-as-new. */
export class ApplicationAlerts {
  private warnedFor?: string;
  private readonly inFlight = new Announcements();

  constructor(
    private readonly state: AlertState,
    private readonly desired: () => DesiredApplication,
  ) {}

  /** Announces that a sync of revision is starting (its workflow is the sync child). */
  started(revision: string, syncWorkflowId: string, cause: SyncCause = {}): void {
    if (cause.healing) return; // said once it is healed
    this.send(syncStarted(this.subject(revision, syncWorkflowId)));
  }

  /** Announces how a sync ended: failed, degraded, healed drift or succeeded. */
  finished(result: SyncResult, syncWorkflowId: string, cause: SyncCause = {}): void {
    const s = this.subject(result.revision, syncWorkflowId);
    if (result.phase === 'Failed') this.send(syncFailed(s, result.message));
    else if (result.health === 'Degraded') this.send(syncDegraded(s, result.message));
    else if (cause.healing) this.send(driftHealed(s, cause.healing));
    else this.send(syncSucceeded(s, { applied: result.changed.length, pruned: result.pruned.length }));
  }

  /** Announces a drift self-heal will not fix (once per drift: the caller remembers it). */
  drifted(revision: string, resources: string[]): void {
    this.send(applicationDrifted({ subject: this.desired().name, revision }, resources));
  }

  /** Announces that objects healthy at their sync turned Degraded since (seen live, not by a sync). */
  degraded(revision: string, detail: string): void {
    this.send(syncDegraded({ subject: this.desired().name, revision }, detail));
  }

  /** Announces that a Degraded application is Healthy again. */
  recovered(revision: string): void {
    this.send(applicationRecovered({ subject: this.desired().name, revision }));
  }

  /** Announces that the sync child itself failed (it normally reports failures as a result). */
  crashed(revision: string, syncWorkflowId: string, reason: string): void {
    this.send(syncFailed(this.subject(revision, syncWorkflowId), reason));
  }

  /** Announces what removal from Git did with the application's objects. */
  removed(
    removal: { mode: 'deleted' | 'orphaned'; deleted: string[]; kept: string[]; error?: string },
    reason: string,
  ): void {
    const desired = this.desired();
    this.send(
      applicationRemoved(
        { subject: desired.name, revision: desired.revision },
        {
          mode: removal.mode,
          deleted: removal.deleted.length,
          kept: removal.kept.length,
          reason,
          ...(removal.error ? { error: removal.error } : {}),
        },
      ),
    );
  }

  /** Announces that someone suspended the application's automation (who and why). */
  suspended(revision: string | undefined, action: OperatorAction): void {
    this.send(applicationSuspended(this.current(revision), action));
  }

  /** Announces that someone resumed the application's automation. */
  resumed(revision: string | undefined, action: OperatorAction): void {
    this.send(applicationResumed(this.current(revision), action));
  }

  /** Announces that the application's workload left progressive delivery. */
  handedBack(rollout: string, deployment: string, revision?: string): void {
    this.send(
      rolloutHandedBack(
        { subject: this.desired().name, ...(revision ? { revision } : {}) },
        { rollout, deployment },
      ),
    );
  }

  /** Resolves once every announcement in flight was delivered or given up on (await before continue-as-new). */
  drain(): Promise<void> {
    return this.inFlight.drain();
  }

  private current(revision: string | undefined): EventSubject {
    return { subject: this.desired().name, ...(revision ? { revision } : {}) };
  }

  private subject(revision: string, workflowId: string): EventSubject {
    return { subject: this.desired().name, revision, workflowId };
  }

  private send(event: SluiceEvent): void {
    const desired = this.desired();
    const { routes, missing } = applicationAlertRoutes(desired);
    if (missing.length > 0 && this.warnedFor !== desired.revision) {
      this.warnedFor = desired.revision;
      log.warn('alerts whose provider is missing are skipped', { missing });
    }
    this.inFlight.send(this.state, routes, {
      ...event,
      fields: { ...event.fields, project: desired.project },
    });
  }
}

/** The alert state of an application, created for states carried over from before alerts. */
export function applicationAlertState(state: { alerts?: AlertState }): AlertState {
  state.alerts ??= newAlertState();
  return state.alerts;
}
