import type { HealthCode } from '../../../core/health/health.js';
import { refKey, refString } from '../../../core/resource-ref.js';
import { applicationWorkflowId } from '../../../core/workflow-ids.js';
import type { LiveChangeNotice } from '../../../workflows/application/messages.js';
import { Debouncer } from './debouncer.js';
import type { LiveCache } from './live-cache.js';
import { changeReason, ownerOf, settledHealth } from './relevance.js';
import type { LiveEvent, LiveLog } from './types.js';

/** How a notice reached its workflow: sent, no such workflow (the app was removed), or failed. */
export type NotifyOutcome = 'sent' | 'not_found' | 'failed';

/** What the router needs: where to send, where to log, and optionally its timing and an outcome counter. */
export interface AppNotifierOptions {
  /** Signals the application workflow (liveChangedSignal in the worker). */
  notify: (workflowId: string, notice: LiveChangeNotice) => Promise<void>;
  log: LiveLog;
  cluster: string;
  /** Quiet time after an application's last relevant change before it is told (default 500 ms). */
  debounceMs?: number;
  /** Longest an application waits to be told while its objects keep changing (default 2 s). */
  maxWaitMs?: number;
  onOutcome?: (outcome: NotifyOutcome) => void;
}

/** The workflow ID of the application a tracking id (`<repoId>/<app>`) names. */
export function workflowIdOfTracking(trackingId: string): string {
  const cut = trackingId.lastIndexOf('/');
  return applicationWorkflowId(trackingId.slice(0, cut), trackingId.slice(cut + 1));
}

/**
 * Routes a cache's changes to the applications that own the objects: each change that matters (changeReason) is
 * collected per application and sent once per burst as a liveChanged notice naming the objects. Returns the
 * function that stops it (pending notices are dropped: the periodic refresh covers them).
 */
export function startAppNotifier(cache: Pick<LiveCache, 'onChange'>, o: AppNotifierOptions): () => void {
  const debouncer = new Debouncer<string>(
    (trackingId, refs) => void send(trackingId, [...new Set(refs)]),
    o.debounceMs ?? 500,
    o.maxWaitMs ?? 2_000,
  );
  const send = async (trackingId: string, refs: string[]) => {
    const workflowId = workflowIdOfTracking(trackingId);
    try {
      await o.notify(workflowId, { refs });
      o.onOutcome?.('sent');
      o.log('debug', 'live change signalled', { cluster: o.cluster, workflowId, refs });
    } catch (err) {
      const notFound = (err as Error).name === 'WorkflowNotFoundError';
      o.onOutcome?.(notFound ? 'not_found' : 'failed');
      o.log(notFound ? 'debug' : 'warn', 'live change could not be signalled', {
        cluster: o.cluster,
        workflowId,
        refs,
        error: (err as Error).message,
      });
    }
  };
  // The last settled health of each tracked object, so the blip of a spec write is not taken for a change.
  const health = new Map<string, HealthCode>();
  const unsubscribe = cache.onChange((event: LiveEvent) => {
    const owner = ownerOf(event);
    if (!owner) return;
    const key = refKey(event.ref);
    const before = health.get(key) ?? (event.previous && settledHealth(event.previous));
    const now = event.type === 'DELETED' ? undefined : settledHealth(event.object);
    if (event.type === 'DELETED') health.delete(key);
    else if (now) health.set(key, now);
    const reason = changeReason(event, before !== undefined && now !== undefined && before !== now);
    if (reason) debouncer.add(owner, refString(event.ref));
  });
  return () => {
    unsubscribe();
    debouncer.cancel();
    health.clear();
  };
}
