import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { ResourceRef } from '../../../core/resource-ref.js';
import { APP_LABEL } from '../../sync/annotations.js';
import type { ObjectApi } from '../object-api.js';
import { KindWatch } from './kind-watch.js';
import { kindsFile, readKinds, writeKinds } from './kinds-file.js';
import type { LiveCacheHooks, LiveCacheStats, LiveEvent, LiveLog, LiveLookup, WatchedKind } from './types.js';
import { groupOf, kindName, objectKey, toWire } from './wire.js';

/** How a LiveCache reaches its cluster and where it logs. */
export interface LiveCacheOptions {
  /** The cluster's kubeconfig (a PooledKubeConfig: watches get their own keep-alive pool). */
  kubeConfig: KubeConfig;
  /** Its object client, for discovery of each kind's resource name. */
  objects: ObjectApi;
  /** The cluster's name in logs, metrics and the kinds file. */
  cluster: string;
  /** Where the watched kinds are remembered across restarts; none = not remembered. */
  stateDir?: string;
  log: LiveLog;
  hooks?: LiveCacheHooks;
}

const namespaceKind: WatchedKind = { apiVersion: 'v1', kind: 'Namespace' };
const defaultReadyTimeoutMs = 30_000;

/**
 * The live state of one cluster as Sluice tracks it: a list + watch per kind of every object carrying Sluice's
 * label `app.sluice.dev/name` (memory stays bounded to what Sluice applied, whatever else runs in the cluster),
 * plus every Namespace (Sluice must know those it did not create; there are few). A kind is read from the cache
 * only once its first list is done; before that `get` says `synced: false` and callers read the API.
 */
export class LiveCache {
  private readonly watches = new Map<string, KindWatch>(); // by "group/Kind"
  private readonly starting = new Map<string, Promise<KindWatch>>();
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private events = 0;
  private stopped = false;

  constructor(private readonly o: LiveCacheOptions) {}

  /** Starts watching namespaces and the kinds a previous run of the worker watched (not waiting for their lists). */
  start(): void {
    this.ensureNamespaces();
    const remembered = this.o.stateDir ? readKinds(kindsFile(this.o.stateDir, this.o.cluster)) : [];
    if (remembered.length === 0) return;
    this.o.log('info', 'live cache: watching the kinds of the last run', {
      cluster: this.o.cluster,
      kinds: remembered.map(kindName),
    });
    this.ensureKinds(remembered, 5 * 60_000).catch((err: Error) =>
      this.o.log('warn', 'live cache: a remembered kind could not be watched', {
        cluster: this.o.cluster,
        error: err.message,
      }),
    );
  }

  /**
   * Watches each kind (once; cluster-wide, objects with Sluice's label only) and resolves when all have finished
   * their first list. Rejects with MissingKindError when the cluster does not serve a kind, or after timeoutMs
   * (the watches keep trying in the background).
   */
  async ensureKinds(kinds: WatchedKind[], timeoutMs = defaultReadyTimeoutMs): Promise<void> {
    if (this.stopped) throw new Error(`live cache of cluster ${this.o.cluster} is stopped`);
    this.ensureNamespaces();
    const started = await Promise.allSettled(kinds.map((k) => this.watchFor(k)));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const deadline = Date.now() + timeoutMs;
    await Promise.all(
      started.map((s) => (s as PromiseFulfilledResult<KindWatch>).value.whenSynced(deadline - Date.now())),
    );
  }

  /**
   * What the cache knows of the object: `{ synced: false }` when its kind is not watched or not listed yet (read the
   * API; never take it as absent), else the object, or no object when none with Sluice's label exists. An object
   * without the label (someone else's, or not yet adopted) may still exist: the cache does not see it.
   */
  get(ref: ResourceRef): LiveLookup {
    const watch = this.watches.get(kindKey(ref));
    if (!watch?.synced) return { synced: false };
    const object = watch.objects.get(objectKey(ref.namespace, ref.name));
    return object ? { synced: true, object } : { synced: true };
  }

  /** Whether the namespace exists; undefined before the first list of namespaces. */
  namespaceExists(name: string): boolean | undefined {
    const lookup = this.get({ ...namespaceKind, name });
    return lookup.synced ? lookup.object !== undefined : undefined;
  }

  /**
   * Records the response of a write Sluice just made (never a dry run's), so a health wait sees it before the watch
   * event arrives; ignored unless newer than the cached object, and for kinds not watched.
   */
  observe(obj: KubernetesObject): void {
    const watch = this.watches.get(kindKey({ apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' }));
    if (watch) watch.observe(toWire(obj));
  }

  /** Calls listener after each change the cache records; returns the unsubscribe function. */
  onChange(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Objects per kind, total, watch restarts and changes recorded. */
  stats(): LiveCacheStats {
    const objects: Record<string, number> = {};
    let total = 0;
    let restarts = 0;
    for (const [key, watch] of this.watches) {
      objects[key] = watch.objects.size;
      total += watch.objects.size;
      restarts += watch.restarts;
    }
    return { objects, total, restarts, events: this.events };
  }

  /** The kinds watched (namespaces included). */
  watchedKinds(): string[] {
    return [...this.watches.keys()];
  }

  /** Stops every watch (sockets and timers closed); the cache answers `synced: false` afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.starting.values()]);
    const watches = [...this.watches.values()];
    this.watches.clear();
    this.listeners.clear();
    await Promise.all(watches.map((w) => w.stop()));
  }

  private ensureNamespaces(): void {
    const key = kindName(namespaceKind);
    if (this.watches.has(key) || this.stopped) return;
    // Namespaces: no selector (Sluice must see those it did not create).
    this.startWatch(namespaceKind, '/api/v1/namespaces', undefined);
  }

  private watchFor(kind: WatchedKind): Promise<KindWatch> {
    const key = kindKey(kind);
    const running = this.watches.get(key);
    if (running) return Promise.resolve(running);
    let pending = this.starting.get(key);
    if (!pending) {
      pending = this.resolveAndStart(kind).finally(() => this.starting.delete(key));
      this.starting.set(key, pending);
    }
    return pending;
  }

  private async resolveAndStart(kind: WatchedKind): Promise<KindWatch> {
    const resource = await this.o.objects.servedResource(kind.apiVersion, kind.kind);
    if (this.stopped) throw new Error(`live cache of cluster ${this.o.cluster} is stopped`);
    const api = groupOf(kind.apiVersion) ? 'apis' : 'api';
    const watch = this.startWatch(kind, `/${api}/${kind.apiVersion}/${resource.name}`, APP_LABEL);
    this.remember();
    return watch;
  }

  private startWatch(kind: WatchedKind, path: string, labelSelector: string | undefined): KindWatch {
    const watch = new KindWatch({
      kc: this.o.kubeConfig,
      cluster: this.o.cluster,
      kind,
      path,
      ...(labelSelector ? { labelSelector } : {}),
      // The selector is an existence test of one label, so it is that label's key.
      matches: (obj) => !labelSelector || obj.metadata?.labels?.[labelSelector] !== undefined,
      log: this.o.log,
      ...(this.o.hooks ? { hooks: this.o.hooks } : {}),
      emit: (event) => this.emit(event),
    });
    this.watches.set(kindKey(kind), watch);
    watch.start();
    return watch;
  }

  private emit(event: LiveEvent): void {
    this.events++;
    this.o.hooks?.event?.(event.type);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.o.log('error', 'live cache listener failed', {
          cluster: this.o.cluster,
          error: (err as Error).message,
        });
      }
    }
  }

  private remember(): void {
    if (!this.o.stateDir) return;
    const kinds = [...this.watches.entries()]
      .filter(([key]) => key !== kindName(namespaceKind))
      .map(([, w]) => w.kind);
    try {
      writeKinds(kindsFile(this.o.stateDir, this.o.cluster), kinds);
    } catch (err) {
      this.o.log('warn', 'live cache: could not save the watched kinds', {
        cluster: this.o.cluster,
        error: (err as Error).message,
      });
    }
  }
}

/** The store a reference belongs to: group and kind, whatever the version. */
function kindKey(ref: Pick<ResourceRef, 'apiVersion' | 'kind'>): string {
  return kindName(ref);
}
