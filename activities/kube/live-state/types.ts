import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceRef } from '../../../core/resource-ref.js';

/** A kind the cache watches, as a manifest names it. */
export interface WatchedKind {
  apiVersion: string;
  kind: string;
}

/** One change the cache recorded: from a watch event, a relist, or a write Sluice observed. */
export interface LiveEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  ref: ResourceRef;
  /** The object now; for DELETED, its last state. */
  object: KubernetesObject;
  /** The object the cache held before, when it held one. */
  previous?: KubernetesObject;
}

/** What the cache knows of one object: nothing yet (read the API), or the tracked object, or its absence. */
export type LiveLookup = { synced: false } | { synced: true; object?: KubernetesObject };

/** Structured logger: level, message, fields. */
export type LiveLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  msg: string,
  fields?: Record<string, unknown>,
) => void;

/** Counters the worker's metrics registry hangs on a cache (all optional). */
export interface LiveCacheHooks {
  /** A watch stream ended and is being restarted (resumed or relisted), with why. */
  watchRestart?(kind: string, reason: string): void;
  /** A change was applied to the cache. */
  event?(type: LiveEvent['type']): void;
}

/** Counts for /metrics and tests. */
export interface LiveCacheStats {
  /** Objects held per kind ("apps/Deployment", "Namespace"). */
  objects: Record<string, number>;
  total: number;
  /** Watch restarts (resumes and relists) since start. */
  restarts: number;
  /** Changes applied since start. */
  events: number;
}
