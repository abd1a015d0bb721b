import { heartbeat, sleep } from '@temporalio/activity';
import {
  aggregateHealth,
  assessHealth,
  type HealthCode,
  type HealthOptions,
} from '../../core/health/health.js';
import { type ResourceRef, refKey } from '../../core/resource-ref.js';
import type { ObjectApi } from '../kube/object-api.js';
import { type LiveView, liveObject, watchKindsOf } from './live-view.js';

/** Health of a set of objects: overall and per object. */
export interface ResourcesHealth {
  status: HealthCode;
  resources: { ref: ResourceRef; status: HealthCode; message?: string }[];
}

/** Assesses each object's health now, from the cluster's live-state cache where it holds the object's kind. */
export async function checkHealth(
  api: ObjectApi,
  refs: ResourceRef[],
  opts: Omit<HealthOptions, 'now'>,
  live?: LiveView,
): Promise<ResourcesHealth> {
  const resources = [];
  for (const ref of refs) {
    // Sluice applied these objects with its label, so one the cache does not hold is missing.
    const h = assessHealth(await liveObject(api, live, ref, 'absent'), { ...opts, now: Date.now() });
    resources.push({ ref, status: h.status, message: h.message });
  }
  return { status: aggregateHealth(resources), resources };
}

/**
 * Waits until every object is Healthy, or one is Degraded (the progress deadline turns a stuck Progressing into
 * Degraded), heartbeating the current health so the UI shows it and a lost worker is noticed. With a live-state
 * cache it re-assesses on every change of one of the objects and once a second (deadlines move with the clock),
 * without a request to the API server; without one it polls. Suspended counts as settled, like Argo CD. The
 * activity's own timeout bounds the wait.
 */
export async function waitHealthy(
  api: ObjectApi,
  refs: ResourceRef[],
  opts: Omit<HealthOptions, 'now'> & { pollMs?: number; live?: LiveView },
): Promise<ResourcesHealth> {
  const { live, pollMs, ...healthOpts } = opts;
  await watchKindsOf(live, refs);
  const keys = new Set(refs.map(refKey));
  let wake: (() => void) | undefined;
  const off = live?.onChange((c) => {
    if (keys.has(refKey(c.ref))) wake?.();
  });
  try {
    for (;;) {
      const health = await checkHealth(api, refs, healthOpts, live);
      heartbeat({
        status: health.status,
        pending: health.resources.filter((r) => r.status !== 'Healthy').length,
      });
      if (['Healthy', 'Degraded', 'Suspended'].includes(health.status)) return health;
      await Promise.race([sleep(pollMs ?? 1000), new Promise<void>((resolve) => (wake = resolve))]);
    }
  } finally {
    off?.();
  }
}
