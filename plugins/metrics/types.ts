/** The outcome of one metric query: a number, or no data (never a pass). */
export type MetricValue = { kind: 'value'; value: number } | { kind: 'noData'; reason: string };

/** Connection settings of a metric provider (MetricTemplate.spec.provider), the secret already resolved. */
export interface MetricProviderConfig {
  type: string;
  /** Base URL, e.g. http://127.0.0.1:9090; the worker's default when absent. */
  address?: string;
  /** Bearer token or "user:password" from the provider's secretRef; never logged. */
  credentials?: { bearerToken?: string; basic?: { username: string; password: string } };
  /** The web provider's request (MetricTemplate.spec.web), placeholders filled and secrets resolved. */
  web?: WebRequestSettings;
}

/** How the web provider calls its URL (the query) and reads the answer. */
export interface WebRequestSettings {
  method: 'GET' | 'POST';
  /** `secret` marks a value from the secret store: such requests keep the answer out of messages. */
  headers: { name: string; value: string; secret: boolean }[];
  body?: string;
  /** Where the number is in the JSON answer, e.g. "{$.data.remaining}". */
  jsonPath: string;
  timeoutMs: number;
}

/** A metric provider plugin: runs one query and reduces it to a single number. */
export interface MetricProvider {
  /** The plugin name used in MetricTemplate.spec.provider.type. */
  readonly name: string;
  /** Runs the query (a URL for web); throws MetricProviderUnreachable when the provider cannot be reached (retried by the activity). */
  query(query: string): Promise<MetricValue>;
}
