import { type KubeConfig, type KubernetesObject, Watch } from '@kubernetes/client-node';
import { backoffMs, sleep } from './backoff.js';
import { getJson, HttpStatusError } from './get-json.js';
import { isNewer } from './resource-version.js';
import type { LiveCacheHooks, LiveEvent, LiveLog, WatchedKind } from './types.js';
import { kindName, objectKey, refOf } from './wire.js';

/** What a KindWatch needs: the cluster, the kind and its resource path, and where changes go. */
export interface KindWatchOptions {
  kc: KubeConfig;
  cluster: string;
  kind: WatchedKind;
  /** Cluster-wide collection path: /api/v1/namespaces, /apis/apps/v1/deployments. */
  path: string;
  /** Only objects matching this selector are cached; none = every object of the kind. */
  labelSelector?: string;
  /** Whether an object (an observed write) belongs in this watch, i.e. matches labelSelector. */
  matches: (obj: KubernetesObject) => boolean;
  log: LiveLog;
  hooks?: LiveCacheHooks;
  /** Called after each change to the store, in order. */
  emit: (event: LiveEvent) => void;
}

type List = { metadata?: { resourceVersion?: string; continue?: string }; items?: KubernetesObject[] };
type StreamEnd = { events: number; gone: boolean; watchdog: boolean; error?: Error };

// A stream that delivered nothing for this long after it opened still counts as healthy (resets the backoff).
const healthyStreamMs = 10_000;
// Like client-go's reflector: ask the server to end each stream after 5–10 min, so watches rotate across servers.
const minStreamSeconds = 300;
// A stream still open this long after the server should have closed it is dead (a vanished peer sends no FIN).
const watchdogSlackMs = 30_000;
const pageSize = '500';

/**
 * List + watch of one kind across the cluster, held in memory. The first list makes it `synced`; the watch then
 * resumes from the last resourceVersion (kept fresh by bookmarks) whenever its stream ends or breaks, with backoff;
 * a 410 Gone (the version was compacted away) relists and turns the difference into events.
 *
 * Why not client-node's ListWatch: it stops for good on any error other than 410 (a restarted API server ends it),
 * has no "first list done" readiness, no backoff, does not ask for bookmarks, and lists through the generated
 * client, whose model classes differ from the watch's plain JSON. The library's `Watch` (one stream, on the
 * kubeconfig's watch pool) is used as is; this class is the loop around it.
 */
export class KindWatch {
  /** Objects by "namespace/name". */
  readonly objects = new Map<string, KubernetesObject>();
  /** True once the first list has been stored. */
  synced = false;
  /** Restarts of the watch since start. */
  restarts = 0;
  /** The last error, for "not ready" messages. */
  lastError?: Error;
  private resourceVersion = '';
  private readonly stopped = new AbortController();
  private stream?: AbortController;
  private loop?: Promise<void>;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly o: KindWatchOptions) {}

  /** The kind watched, in the version it is watched in. */
  get kind(): WatchedKind {
    return this.o.kind;
  }

  /** Starts the loop (once). */
  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves once synced; rejects after timeoutMs naming the kind and the last error. */
  whenSynced(timeoutMs: number): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        const why = this.lastError ? ` (last error: ${this.lastError.message})` : '';
        reject(
          new Error(
            `live cache of cluster ${this.o.cluster}: ${kindName(this.o.kind)} has not finished its first list after ${timeoutMs} ms${why}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Records an object Sluice just wrote, when it is newer than the cached one and belongs in this watch. */
  observe(obj: KubernetesObject): void {
    const key = objectKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
    if (this.o.matches(obj)) this.upsert(obj);
    else if (this.objects.has(key)) this.remove(obj); // the write took it out of the selector
  }

  /** Aborts the stream and the loop; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped.abort();
    this.stream?.abort();
    for (const w of [...this.waiters]) this.waiters.delete(w);
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.stopped.signal;
    let attempt = 0;
    while (!signal.aborted) {
      const opened = Date.now();
      let reason: string;
      let healthy = false;
      try {
        if (!this.resourceVersion) await this.relist(signal);
        const end = await this.watchOnce();
        healthy = end.events > 0 || Date.now() - opened >= healthyStreamMs;
        if (end.gone) reason = 'gone';
        else if (end.watchdog) reason = 'stalled';
        else reason = end.error ? 'broken' : 'closed';
        if (end.error) this.lastError = end.error;
      } catch (err) {
        if (signal.aborted) break;
        this.lastError = err as Error;
        const status = (err as { statusCode?: number }).statusCode;
        reason = status === 410 ? 'gone' : status ? `http_${status}` : 'error';
      }
      if (signal.aborted) break;
      if (reason === 'gone') this.resourceVersion = '';
      attempt = healthy ? 0 : attempt + 1;
      const delayMs = attempt === 0 ? 0 : backoffMs(attempt);
      this.restarts++;
      this.o.hooks?.watchRestart?.(kindName(this.o.kind), reason);
      this.o.log(reason === 'closed' ? 'debug' : 'warn', 'live watch restarting', {
        cluster: this.o.cluster,
        kind: kindName(this.o.kind),
        reason,
        attempt,
        delayMs,
        relist: !this.resourceVersion,
        ...(reason !== 'closed' && this.lastError ? { error: this.lastError.message } : {}),
      });
      await sleep(delayMs, signal);
    }
  }

  /** Lists every page, replaces the store and emits the difference (all ADDED on the first list). */
  private async relist(signal: AbortSignal): Promise<void> {
    const items: KubernetesObject[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    do {
      const page = await getJson<List>(
        this.o.kc,
        this.o.path,
        { labelSelector: this.o.labelSelector, limit: pageSize, continue: token },
        signal,
      );
      for (const item of page.items ?? []) {
        items.push({ ...item, apiVersion: this.o.kind.apiVersion, kind: this.o.kind.kind });
      }
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      token = page.metadata?.continue || undefined;
    } while (token);
    if (signal.aborted) return;
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(objectKey(obj.metadata?.namespace, obj.metadata?.name ?? ''));
      this.upsert(obj);
    }
    for (const [key, obj] of [...this.objects]) {
      if (!seen.has(key)) this.remove(obj);
    }
    this.resourceVersion = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      this.o.log('debug', 'live kind listed', {
        cluster: this.o.cluster,
        kind: kindName(this.o.kind),
        objects: this.objects.size,
      });
    }
    for (const w of [...this.waiters]) w();
  }

  /** One watch stream from the current resourceVersion; resolves when it ends (never rejects once open). */
  private async watchOnce(): Promise<StreamEnd> {
    const end: StreamEnd = { events: 0, gone: false, watchdog: false };
    const timeoutSeconds = Math.round(minStreamSeconds * (1 + Math.random()));
    let finish: (err: unknown) => void = () => {};
    // Lines the stream had buffered can still arrive after it ended (aborted, broken): they are dropped, so no
    // ended stream changes the store or the resourceVersion beside the next one. The next stream resumes from the
    // last event applied, so the server sends them again.
    let closed = false;
    const ended = new Promise<StreamEnd>((resolve, reject) => {
      finish = (err) => {
        closed = true;
        clearTimeout(watchdog);
        if (!err || this.stopped.signal.aborted || end.watchdog) return resolve(end);
        const status = (err as { statusCode?: number }).statusCode;
        if (status) return reject(new HttpStatusError(status, `watch ${this.o.path}: HTTP ${status}`));
        end.error = err as Error;
        resolve(end);
      };
    });
    const watchdog = setTimeout(
      () => {
        end.watchdog = true;
        this.stream?.abort();
      },
      timeoutSeconds * 1000 + watchdogSlackMs,
    );
    const query = {
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds,
      ...(this.o.labelSelector ? { labelSelector: this.o.labelSelector } : {}),
    };
    this.stream = await new Watch(this.o.kc).watch(
      this.o.path,
      query,
      (type: string, obj: KubernetesObject & { code?: number; message?: string }) => {
        if (closed) return;
        end.events++;
        this.onEvent(type, obj, end);
      },
      (err: unknown) => finish(err),
    );
    if (this.stopped.signal.aborted) this.stream.abort();
    return ended;
  }

  private onEvent(type: string, obj: KubernetesObject & { code?: number; message?: string }, end: StreamEnd) {
    if (type === 'ERROR') {
      // The server ends the stream after an ERROR; a 410 means the resourceVersion is gone: relist.
      if (obj.code === 410) end.gone = true;
      else this.lastError = new Error(`watch error ${obj.code ?? ''}: ${obj.message ?? 'unknown'}`);
      return;
    }
    const rv = obj.metadata?.resourceVersion;
    if (type === 'ADDED' || type === 'MODIFIED') this.upsert(this.typed(obj));
    else if (type === 'DELETED') this.remove(this.typed(obj));
    if (rv) this.resourceVersion = rv; // BOOKMARK carries only this
  }

  private typed(obj: KubernetesObject): KubernetesObject {
    return { ...obj, apiVersion: this.o.kind.apiVersion, kind: this.o.kind.kind };
  }

  private upsert(obj: KubernetesObject): void {
    const key = objectKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
    const previous = this.objects.get(key);
    if (previous && !isNewer(obj, previous)) return;
    this.objects.set(key, obj);
    this.o.emit({
      type: previous ? 'MODIFIED' : 'ADDED',
      ref: refOf(this.o.kind, obj),
      object: obj,
      ...(previous ? { previous } : {}),
    });
  }

  private remove(obj: KubernetesObject): void {
    const key = objectKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
    const previous = this.objects.get(key);
    if (!previous) return;
    this.objects.delete(key);
    this.o.emit({ type: 'DELETED', ref: refOf(this.o.kind, obj), object: obj, previous });
  }
}
