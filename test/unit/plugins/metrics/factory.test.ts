import { describe, expect, it } from 'vitest';
import { UnknownMetricProviderError } from '../../../../plugins/metrics/errors.js';
import { createMetricProvider, metricProviderNames } from '../../../../plugins/metrics/factory.js';
import { PrometheusProvider } from '../../../../plugins/metrics/prometheus.js';

describe('createMetricProvider', () => {
  it('builds the prometheus provider', () => {
    const p = createMetricProvider({ type: 'prometheus', address: 'http://127.0.0.1:9090' });
    expect(p).toBeInstanceOf(PrometheusProvider);
    expect(p.name).toBe('prometheus');
    expect(metricProviderNames()).toEqual(['prometheus', 'web']);
  });

  it('rejects an unknown type with a did-you-mean, never a fallback', () => {
    expect(() => createMetricProvider({ type: 'promethues' })).toThrow(
      new UnknownMetricProviderError(
        'unknown metric provider "promethues" (did you mean "prometheus"?); known providers: prometheus, web',
      ),
    );
    expect(() => createMetricProvider({ type: 'datadog' })).toThrow(
      'unknown metric provider "datadog"; known providers: prometheus, web',
    );
    expect(() => createMetricProvider({ type: 'toString' })).toThrow(UnknownMetricProviderError);
  });
});
