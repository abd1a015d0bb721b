import { Context } from '@temporalio/activity';

/** One activity execution the watch noticed: still running, or finished after the threshold. */
export interface WatchedActivity {
  activity: string;
  workflowId: string;
  attempt: number;
  ms: number;
  outcome: 'running' | 'completed' | 'failed';
  error?: string;
}

type AnyActivity = (...args: never[]) => Promise<unknown>;

/**
 * Wraps each activity so the worker process can tell which executions ran longer than `slowMs` — or
 * never returned — and whether the activity function was entered at all: an activity that times out on
 * the server without showing up here was lost before it ran, not stuck inside Sluice's code.
 */
export function watchActivities<T extends Record<string, AnyActivity>>(activities: T, slowMs: number) {
  const running = new Map<number, Omit<WatchedActivity, 'ms' | 'outcome'> & { start: number }>();
  const slow: WatchedActivity[] = [];
  let next = 0;
  const wrapped = Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: never[]) => {
        const info = Context.current().info;
        const id = next++;
        const start = performance.now();
        running.set(id, {
          activity: name,
          workflowId: info.workflowExecution?.workflowId ?? '?',
          attempt: info.attempt,
          start,
        });
        const done = (outcome: WatchedActivity['outcome'], error?: string) => {
          const entry = running.get(id);
          running.delete(id);
          const ms = performance.now() - start;
          if (!entry || ms < slowMs) return;
          const { start: _start, ...what } = entry;
          slow.push({ ...what, ms, outcome, ...(error ? { error } : {}) });
        };
        try {
          const result = await fn(...args);
          done('completed');
          return result;
        } catch (err) {
          done('failed', err instanceof Error ? err.message : String(err));
          throw err;
        }
      },
    ]),
  ) as T;
  return {
    activities: wrapped,
    /** Executions that took `slowMs` or more so far, and those running for that long now. */
    report(): WatchedActivity[] {
      const now = performance.now();
      const stuck = [...running.values()]
        .filter((r) => now - r.start >= slowMs)
        .map(({ start, ...r }) => ({ ...r, ms: now - start, outcome: 'running' as const }));
      return [...slow, ...stuck];
    },
  };
}
