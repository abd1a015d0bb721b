import { MetricProviderUnreachable } from '../../plugins/metrics/errors.js';
import type { MetricProvider, MetricValue } from '../../plugins/metrics/types.js';

/** How often, and how far apart, a query is tried again while its provider is unreachable. */
export interface QueryRetry {
  attempts: number;
  delayMs: number;
}

/** Three quick tries over about a second: long outages are the workflow's business, not the activity's. */
export const DEFAULT_QUERY_RETRY: QueryRetry = { attempts: 3, delayMs: 300 };

/** Runs the query, retrying only MetricProviderUnreachable, with a doubling delay; throws the last error. */
export async function queryWithRetry(
  provider: MetricProvider,
  query: string,
  retry: QueryRetry = DEFAULT_QUERY_RETRY,
): Promise<MetricValue> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await provider.query(query);
    } catch (err) {
      if (!(err instanceof MetricProviderUnreachable) || attempt >= retry.attempts) throw err;
      await new Promise((r) => setTimeout(r, retry.delayMs * 2 ** (attempt - 1)));
    }
  }
}
