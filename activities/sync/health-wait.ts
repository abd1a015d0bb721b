import { heartbeat, sleep } from '@temporalio/activity';
import {
  aggregateHealth,
  assessHealth,
  type HealthCode,
  type HealthOptions,
} from '../../core/health/health.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { ObjectApi } from '../kube/object-api.js';
import { readLive } from './apply.js';

/** Health of a set of objects: overall and per object. */
export interface ResourcesHealth {
  status: HealthCode;
  resources: { ref: ResourceRef; status: HealthCode; message?: string }[];
}

/** Reads each object and assesses its health now. */
export async function checkHealth(
  api: ObjectApi,
  refs: ResourceRef[],
  opts: Omit<HealthOptions, 'now'>,
): Promise<ResourcesHealth> {
  const resources = [];
  for (const ref of refs) {
    const h = assessHealth(await readLive(api, ref), { ...opts, now: Date.now() });
    resources.push({ ref, status: h.status, message: h.message });
  }
  return { status: aggregateHealth(resources), resources };
}

/**
 * Polls until every object is Healthy, or one is Degraded (the progress deadline turns a stuck
 * Progressing into Degraded), heartbeating the current health so the UI shows it and a lost worker
 * is noticed. Suspended counts as settled, like Argo CD. The activity's own timeout bounds the wait.
 */
export async function waitHealthy(
  api: ObjectApi,
  refs: ResourceRef[],
  opts: Omit<HealthOptions, 'now'> & { pollMs?: number },
): Promise<ResourcesHealth> {
  for (;;) {
    const health = await checkHealth(api, refs, opts);
    heartbeat({
      status: health.status,
      pending: health.resources.filter((r) => r.status !== 'Healthy').length,
    });
    if (['Healthy', 'Degraded', 'Suspended'].includes(health.status)) return health;
    await sleep(opts.pollMs ?? 1000);
  }
}
