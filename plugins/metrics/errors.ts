// Errors the metric provider plugins throw. Temporal names an activity failure after the error's
// class; the analysis activity turns all of them into an `Error` verdict instead of throwing.

/** The provider could not be reached, timed out or answered 5xx: a retry may succeed. */
export class MetricProviderUnreachable extends Error {
  override name = 'MetricProviderUnreachable' as const;
}

/** The provider answered but refused or could not run the query (bad PromQL, 4xx, wrong result type). */
export class MetricQueryError extends Error {
  override name: string = 'MetricQueryError';
}

/** The query returned several series where one number was expected (Flagger's ErrMultipleValuesReturned). */
export class MultipleValuesError extends MetricQueryError {
  override name = 'MultipleValuesError';
  constructor(readonly count: number) {
    super(`query returned ${count} series, expected one: aggregate it (for example with sum(...))`);
  }
}

/** No metric provider has the requested type. */
export class UnknownMetricProviderError extends Error {
  override name = 'UnknownMetricProviderError' as const;
}
