import { didYouMean } from '../../core/did-you-mean.js';
import { UnknownMetricProviderError } from './errors.js';
import { type PrometheusOptions, PrometheusProvider } from './prometheus.js';
import type { MetricProvider, MetricProviderConfig } from './types.js';
import { WebProvider } from './web.js';

/** Options for the built-in providers (request timeout, the fetch to use). */
export type MetricProviderOptions = PrometheusOptions;

const builtins: Record<
  string,
  (config: MetricProviderConfig, opts: MetricProviderOptions) => MetricProvider
> = {
  prometheus: (config, opts) => new PrometheusProvider(config, opts),
  web: (config, opts) => new WebProvider(config, opts),
};

/** Names of every metric provider, sorted. */
export function metricProviderNames(): string[] {
  return Object.keys(builtins).sort();
}

/** The provider for a MetricTemplate's provider settings; an unknown type is an error, never a fallback. */
export function createMetricProvider(
  config: MetricProviderConfig,
  opts: MetricProviderOptions = {},
): MetricProvider {
  const make = Object.hasOwn(builtins, config.type) ? builtins[config.type] : undefined;
  if (make) return make(config, opts);
  const names = metricProviderNames();
  const hint = didYouMean(config.type, names);
  throw new UnknownMetricProviderError(
    `unknown metric provider ${JSON.stringify(config.type)}${hint ? ` (${hint})` : ''}; known providers: ${names.join(', ')}`,
  );
}
