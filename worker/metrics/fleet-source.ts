import type { Client, QueryDefinition, WorkflowHandle } from '@temporalio/client';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { type RolloutPhase, rolloutStatusQuery } from '../../workflows/rollout/messages.js';
import type { LogFn } from '../logger.js';
import { type FleetSnapshot, latestRollouts } from './fleet-series.js';

/** How the fleet collector reads Temporal. */
export interface FleetSourceOptions {
  client: Client;
  /** The workflow task queue this worker serves: the fleet it reports is the one on this queue. */
  taskQueue: string;
  /** How long one snapshot serves scrapes (default 15 s): a scrape every 2 s costs one read per 15 s. */
  ttlMs?: number;
  /** Queries in flight at once (default 16). */
  concurrency?: number;
  /** Counts statuses that could not be read, by kind (application, rollout, list). */
  onError?: (kind: 'application' | 'rollout' | 'list') => void;
  log?: LogFn;
}

/** Phases after which a rollout workflow has nothing more to say than the application's copy of it. */
const FINAL_PHASES: ReadonlySet<RolloutPhase> = new Set(['Initialized', 'Succeeded', 'Failed', 'Superseded']);

/** Runs `fn` over `items`, at most `limit` at a time, keeping only the answers that came. */
async function mapSettled<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        out.push(await fn(item));
      } catch {
        // The caller counts failures; the other statuses still make a snapshot.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/**
 * The fleet as Temporal knows it, read at scrape time and cached: the running application workflows on the
 * task queue (found through visibility by SluiceKind), each asked for its status, and the running rollouts,
 * each asked for theirs. It reads the source of truth, not this worker's memory: right after a restart and
 * identical on every worker of the queue. A failed read keeps serving the last snapshot.
 */
export function fleetSource(o: FleetSourceOptions): () => Promise<FleetSnapshot> {
  const ttl = o.ttlMs ?? 15_000;
  const limit = o.concurrency ?? 16;
  let last: FleetSnapshot = { applications: [], rollouts: [] };
  let readAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<FleetSnapshot> | undefined;

  const handles = async (kind: string): Promise<WorkflowHandle[]> => {
    const query = `SluiceKind = '${kind}' AND ExecutionStatus = 'Running' AND TaskQueue = '${o.taskQueue.replace(/'/g, "\\'")}'`;
    const found: WorkflowHandle[] = [];
    for await (const wf of o.client.workflow.list({ query }))
      found.push(o.client.workflow.getHandle(wf.workflowId, wf.runId));
    return found;
  };
  const ask =
    <T>(kind: 'application' | 'rollout', query: QueryDefinition<T>) =>
    async (h: WorkflowHandle): Promise<T> => {
      try {
        return await h.query(query);
      } catch (err) {
        o.onError?.(kind);
        throw err;
      }
    };

  const read = async (): Promise<FleetSnapshot> => {
    const [apps, rollouts] = await Promise.all([handles('application'), handles('rollout')]);
    const [applications, running] = await Promise.all([
      mapSettled(apps, limit, ask('application', applicationStatusQuery)),
      mapSettled(rollouts, limit, ask('rollout', rolloutStatusQuery)),
    ]);
    // Visibility lags behind under load, and a canary of a few short steps can start and end inside that
    // lag: a rollout an application names as in progress is asked directly by its workflow ID too.
    const listed = new Set(rollouts.map((h) => h.workflowId));
    const named = applications.flatMap((a) =>
      a.rollout && !listed.has(a.rollout.workflowId) && !FINAL_PHASES.has(a.rollout.phase)
        ? [o.client.workflow.getHandle(a.rollout.workflowId)]
        : [],
    );
    const unlisted = await mapSettled(named, limit, ask('rollout', rolloutStatusQuery));
    return { applications, rollouts: latestRollouts(applications, [...running, ...unlisted]) };
  };

  return () => {
    if (Date.now() - readAt < ttl) return Promise.resolve(last);
    inFlight ??= read()
      .then(
        (snapshot) => {
          last = snapshot;
          return snapshot;
        },
        (err: unknown) => {
          o.onError?.('list');
          o.log?.('warn', 'fleet metrics: could not list workflows; serving the last snapshot', {
            error: (err as Error).message,
          });
          return last;
        },
      )
      .finally(() => {
        readAt = Date.now();
        inFlight = undefined;
      });
    return inFlight;
  };
}
