import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DiffStatus } from '../../core/diff/types.js';
import type { HealthCode } from '../../core/health/health.js';
import type { AppIdentity } from '../../core/identity.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { GeneratedBy } from '../../schemas/loader/types.js';
import type { AlertProviderSpec, MetricTemplateSpec, RolloutSpec } from '../../schemas/types.generated.js';
import type { RolloutStatus } from '../rollout/messages.js';
import type { SyncResult } from '../sync/workflow.js';
import type { OperatorRecord, Suspension } from './operator-messages.js';
import type { RemovalSummary } from './removal.js';

/** The desired state of one Application as the repository watcher last read it. */
export interface DesiredApplication {
  /** The repository (worker config id) the Application was declared in: part of its identity. */
  repoId: string;
  name: string;
  /** The Project it acts under: the one it names, bound to its repository by the administrator. */
  project: string;
  /** Namespace of the Application object (default "default"): its references without one resolve in it. */
  namespace?: string;
  /** Commit SHA of the pipeline files this spec came from. */
  revision: string;
  /** The Application's spec exactly as validated (source, destination, syncPolicy, rollout…). */
  spec: Record<string, unknown>;
  /** Where it was declared, for messages: "apps/web.yaml:3". */
  source: string;
  /** The Rollout the Application names (spec.rollout), which releases its workload progressively. */
  rollout?: { name: string; namespace: string; spec: RolloutSpec };
  /** MetricTemplates of the commit, by "namespace/name" (the Rollout's checks reference them). */
  metricTemplates?: Record<string, MetricTemplateSpec>;
  /** The AlertProviders the Application's alerts and its Rollout's alerts name, by "namespace/name". */
  alertProviders?: Record<string, AlertProviderSpec>;
  /** The ApplicationSet that generated it (source is then the set's file:line), the element and the set's policy. */
  generatedBy?: GeneratedBy;
}

/** The application's identity as activities check it: repository, Project and name. */
export function ownerOf(desired: Pick<DesiredApplication, 'repoId' | 'project' | 'name'>): AppIdentity {
  return { repoId: desired.repoId, project: desired.project, app: desired.name };
}

/** A request to sync now. */
export interface SyncRequest {
  /** Commit SHA to sync; default: the newest commit of the source's targetRevision. */
  revision?: string;
  dryRun?: boolean;
  /** Prune objects no longer in Git; default: syncPolicy.automated.prune. */
  prune?: boolean;
  /** Sync without waiting for spec.dependsOn to be ready (`app sync --skip-dependencies`). */
  skipDependencies?: boolean;
}

/** A dependency (spec.dependsOn) an application waits for: `<repo>/<name>` and why it is not ready. */
export interface WaitingFor {
  id: string;
  reason: string;
}

/** What `status` answers. */
export interface ApplicationStatus {
  /** The repository it was declared in (with name, its identity). */
  repoId: string;
  name: string;
  project: string;
  /** Pipeline-file commit the spec came from. */
  revision: string;
  source: string;
  updates: number;
  phase: 'Watching' | 'Syncing' | 'Stopped';
  /** Newest commit of the manifests' targetRevision. */
  sourceRevision?: string;
  /** The source sourceRevision is a commit of ("repoURL#targetRevision"), as dependents compare theirs. */
  sourceKey?: string;
  /** Commit of the last successful sync. */
  syncedRevision?: string;
  syncStatus: 'Synced' | 'OutOfSync' | 'Unknown';
  health: HealthCode;
  /** Set after a rollback: automated sync waits for a commit other than this one. */
  heldAt?: string;
  lastSync?: SyncResult;
  lastError?: string;
  /** The dependencies (spec.dependsOn) its next sync waits for, while it waits. */
  waitingFor?: WaitingFor[];
  /** The current or last rollout of the Application's workload, with its workflow ID. */
  rollout?: RolloutStatus & { workflowId: string };
  /** Why the last rollout could not start (its target is missing, say); the application syncs on. */
  rolloutError?: string;
  /** Once removed from Git: what happened to its objects (deleted with prune on, else left in place). */
  removal?: RemovalSummary;
  /** Each object it manages as the last live check saw it; absent until one ran in this run of the workflow. */
  resources?: ResourceStatus[];
  /** While automation is suspended: who suspended it, why and when (`sluice app suspend`). */
  suspended?: Suspension;
  /** The last failed rollout retried by hand (`sluice rollout retry`): who, why, when, which. */
  rolloutRetry?: OperatorRecord & { workflowId: string };
}

/** One managed object: whether it matches Git and its health, as the last live check saw them. */
export interface ResourceStatus {
  ref: ResourceRef;
  sync: DiffStatus;
  health: HealthCode;
  message?: string;
}

/** The watcher sends a new desired state (new commit or changed spec). */
export const applicationUpdateSignal = defineSignal<[DesiredApplication]>('applicationUpdate');
/** Why the watcher stops an application; preserve: leave its objects whatever its prune setting (an ApplicationSet's preserveResourcesOnDeletion). */
export interface StopRequest {
  reason: string;
  preserve?: boolean;
}

/** The watcher stops the application: it was removed from Git. */
export const applicationStopSignal = defineSignal<[StopRequest]>('applicationStop');
/** Look at the source and the live state now instead of at the next refresh. */
export const refreshSignal = defineSignal('refresh');
/** Sync now (optionally to a revision, as a dry run, with prune); answers the sync's history entry. */
export const syncUpdate = defineUpdate<SyncResultOrDryRun, [SyncRequest]>('sync');
/** Sync to the revision of an earlier history entry; allowed with auto-sync on, which then waits for a new commit. */
export const rollbackUpdate = defineUpdate<SyncResultOrDryRun, [{ id: number }]>('rollback');
/** Current state of the application. */
export const applicationStatusQuery = defineQuery<ApplicationStatus>('status');
/** Recent sync history, newest last (all of it is in Temporal visibility: SluiceApp = name, SluiceKind = sync). */
export const historyQuery = defineQuery<SyncResult[]>('history');

/** A sync's history entry (dry runs are returned but not recorded). */
export type SyncResultOrDryRun = SyncResult;

/** What the worker's live-state cache saw change among an application's objects (sent debounced). */
export interface LiveChangeNotice {
  /** The objects that changed, were deleted or changed health, as "group/Kind ns/name". */
  refs: string[];
}
/** The live-state cache saw the application's objects change: compare and assess health now. */
export const liveChangedSignal = defineSignal<[LiveChangeNotice]>('liveChanged');

/** The newest commit of an application's source branch, resolved once per repository for all its applications. */
export interface SourceRevisionNotice {
  repoURL: string;
  targetRevision: string;
  /** The commit; absent when the source could not be resolved for this application. */
  sha?: string;
  /** Why the source could not be resolved (its Project may not read it, the server refused, no such branch). */
  error?: string;
}
/** The repository watcher resolved the application's source: a new commit to sync, or the same one. */
export const sourceRevisionSignal = defineSignal<[SourceRevisionNotice]>('sourceRevision');
