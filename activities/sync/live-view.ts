import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { ObjectApi } from '../kube/object-api.js';
import { readLive } from '../kube/read-live.js';

/** A change the cluster's live-state cache saw. */
export interface LiveViewChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  ref: ResourceRef;
  object?: KubernetesObject;
}

/**
 * What the sync activities need of a cluster's live-state cache (activities/kube/live-state/): objects Sluice
 * tracks, answered from list + watch instead of the API server. Absent from a synced kind means "no object with
 * Sluice's label", never "no object at all".
 */
export interface LiveView {
  get(ref: ResourceRef): { synced: false } | { synced: true; object?: KubernetesObject };
  ensureKinds(kinds: { apiVersion: string; kind: string }[], timeoutMs?: number): Promise<void>;
  observe(obj: KubernetesObject): void;
  onChange(listener: (change: LiveViewChange) => void): () => void;
  namespaceExists(name: string): boolean | undefined;
}

/**
 * How a caller reads what the cache does not hold. `absent`: trust the cache (the object would carry Sluice's label
 * if Sluice applied it: health and drift checks). `read`: ask the API server (before an apply, whose ownership check
 * must see an object Sluice did not create).
 */
export type WhenUncached = 'absent' | 'read';

/** The live object from the cache when it knows, else from the API server (one GET). */
export async function liveObject(
  api: ObjectApi,
  live: LiveView | undefined,
  ref: ResourceRef,
  whenUncached: WhenUncached,
): Promise<KubernetesObject | undefined> {
  const cached = live?.get(ref);
  if (!cached?.synced) return readLive(api, ref);
  if (cached.object || whenUncached === 'absent') return cached.object;
  return readLive(api, ref);
}

/** Starts the cache's watches of these objects' kinds; a kind it cannot watch (no CRD yet) is read from the API instead. */
export async function watchKindsOf(live: LiveView | undefined, refs: ResourceRef[]): Promise<void> {
  if (!live || refs.length === 0) return;
  const kinds = new Map(
    refs.map((r) => [`${r.apiVersion}/${r.kind}`, { apiVersion: r.apiVersion, kind: r.kind }]),
  );
  await Promise.all(
    [...kinds.values()].map((k) => live.ensureKinds([k]).catch(() => undefined)), // read per object then
  );
}
