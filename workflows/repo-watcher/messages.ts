// The repository watcher's input, state and messages (the worker's webhook receiver and the CLI use them).
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { RepoSpec } from '../../activities/git/repo-spec.js';
import type { AlertRoute, AlertState } from '../shared/alerts.js';
import type { ChildRecords } from '../shared/child-set.js';

/** One application the watcher started, and what it last handed it. */
export interface AppRecord {
  name: string;
  project: string;
  revision: string;
  specHash: string;
  /** The source it syncs from, which the watcher resolves for it; absent in states from before. */
  source?: { repoURL: string; targetRevision: string };
  /** A chart or multi-source application: it resolves its own sources, the watcher none for it. */
  resolvesOwnSources?: true;
  /** What the watcher last told it of that source: the commit, or "error: <why>". */
  told?: string;
  /** The ApplicationSet ("namespace/name") that generated it and the set's policy, which decide updates and removal. */
  generatedBy?: {
    set: string;
    policy: 'sync' | 'create-only' | 'create-update' | 'create-delete';
    preserve: boolean;
  };
}

/** What the watcher remembers; carried across continue-as-new. */
export interface WatcherState {
  /** Newest commit looked at, valid or not. */
  lastSeenSha?: string;
  /** Newest commit whose pipeline files were valid: the set in force. */
  lastValidSha?: string;
  /** Running application workflows by workflow ID (`app/<repoId>/<name>`). */
  apps: Record<string, AppRecord>;
  /** Pipelines declared at lastValidSha, each watched by its trigger workflow. */
  pipelines: { name: string; status: 'watching' }[];
  /** The trigger workflow of each Pipeline of the last valid commit. */
  pipelineTriggers?: ChildRecords;
  /** The workflow of each ImagePolicy of the last valid commit. */
  imagePolicies?: ChildRecords;
  /** Errors of the newest commit when it is invalid (file:line:col: field: message). */
  invalid?: { sha: string; errors: string[] };
  /** Last failure to reach the repository, cleared by the next success. */
  lastError?: string;
  /** The alert routes of lastValidSha's Applications, one per provider: an invalid commit is announced to them. */
  alertRoutes?: AlertRoute[];
  /** What the watcher's own alerts remember (collapsed repeats). */
  alerts?: AlertState;
  polls: number;
  webhooks: number;
}

/** Input of the repository watcher. */
export interface RepoWatchInput {
  repoId: string;
  repo: RepoSpec;
  /** How often to poll (default "1m", ±10% jitter); a push webhook wakes it at once. */
  pollInterval?: string;
  /** Allow a commit with no pipeline objects to stop every application (default false: such a commit is invalid). */
  allowEmpty?: boolean;
  /** The worker's refreshInterval for the Applications it starts whose spec names none (default "3m"). */
  appRefreshInterval?: string;
  /** Polls per run before continue-as-new (default 200, far below Temporal's history limits). */
  maxPollsPerRun?: number;
  state?: WatcherState;
}

/** `status` answer: the input's repository plus the state. */
export interface RepoWatchStatus extends WatcherState {
  repoId: string;
  url: string;
  revision: string;
  path: string;
}

/** Sent by the worker's webhook receiver on a verified push: look now instead of at the next poll. */
export const repoPushSignal = defineSignal('push');
/** A repository was pushed to (a verified webhook): resolve the sources from that URL now and tell their applications. */
export const sourcePushedSignal = defineSignal<[{ url: string }]>('sourcePushed');
/** The watcher's state: commits seen, apps running, the errors of an invalid commit. */
export const repoStatusQuery = defineQuery<RepoWatchStatus>('status');
