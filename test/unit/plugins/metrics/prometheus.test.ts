import { describe, expect, it } from 'vitest';
import { MetricQueryError, MultipleValuesError } from '../../../../plugins/metrics/errors.js';
import {
  authorizationHeader,
  PrometheusProvider,
  parseQueryResult,
  splitAddress,
} from '../../../../plugins/metrics/prometheus.js';

describe('parseQueryResult', () => {
  it('a scalar or a single-sample vector is a value', () => {
    expect(parseQueryResult({ resultType: 'scalar', result: [1, '99.5'] })).toEqual({
      kind: 'value',
      value: 99.5,
    });
    expect(parseQueryResult({ resultType: 'vector', result: [{ metric: {}, value: [1, '42'] }] })).toEqual({
      kind: 'value',
      value: 42,
    });
    expect(parseQueryResult({ resultType: 'vector', result: [{ metric: {}, value: [1, '+Inf'] }] })).toEqual({
      kind: 'value',
      value: Number.POSITIVE_INFINITY,
    });
  });

  it('an empty vector or NaN is no data, with the reason', () => {
    expect(parseQueryResult({ resultType: 'vector', result: [] })).toEqual({
      kind: 'noData',
      reason: 'query returned no series',
    });
    expect(parseQueryResult({ resultType: 'scalar', result: [1, 'NaN'] })).toEqual({
      kind: 'noData',
      reason: 'query returned NaN (no samples in the window)',
    });
  });

  it('several series are an error naming the count', () => {
    const series = { metric: {}, value: [1, '1'] };
    expect(() => parseQueryResult({ resultType: 'vector', result: [series, series, series] })).toThrow(
      new MultipleValuesError(3),
    );
    expect(() => parseQueryResult({ resultType: 'vector', result: [series, series] })).toThrow(
      'query returned 2 series, expected one',
    );
  });

  it('matrix and string results are query errors', () => {
    expect(() => parseQueryResult({ resultType: 'matrix', result: [] })).toThrow(MetricQueryError);
    expect(() => parseQueryResult({ resultType: 'string', result: [1, 'x'] })).toThrow(
      'returned a string result',
    );
  });
});

describe('credentials', () => {
  it('bearer and basic Authorization headers', () => {
    expect(authorizationHeader({ bearerToken: 't0k' })).toBe('Bearer t0k');
    expect(authorizationHeader({ basic: { username: 'ann', password: 'p:w' } })).toBe(
      `Basic ${Buffer.from('ann:p:w').toString('base64')}`,
    );
    expect(authorizationHeader(undefined)).toBeUndefined();
  });

  it('takes user:password out of the address, which is then safe to print', () => {
    expect(splitAddress('https://ann:s%40cret@prom.example:9090/prefix/')).toEqual({
      base: 'https://prom.example:9090/prefix',
      basic: { username: 'ann', password: 's@cret' },
    });
    expect(splitAddress('http://127.0.0.1:9090')).toEqual({
      base: 'http://127.0.0.1:9090',
      basic: undefined,
    });
    expect(() => splitAddress('not a url')).toThrow('prometheus address is not a URL');
    const p = new PrometheusProvider({ type: 'prometheus', address: 'http://ann:hunter2@127.0.0.1:9090' });
    expect(p.address).toBe('http://127.0.0.1:9090');
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });

  it('needs an address', () => {
    expect(() => new PrometheusProvider({ type: 'prometheus' })).toThrow(
      'prometheus provider needs an address',
    );
  });
});
