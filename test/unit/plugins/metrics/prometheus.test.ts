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

describe('injected fetch (the worker passes its egress-guarded one)', () => {
  it('queries through it; a permanent refusal is a MetricQueryError naming the address, not retried', async () => {
    const seen: string[] = [];
    const ok = new PrometheusProvider(
      { type: 'prometheus', address: 'http://prom.example:9090' },
      {
        fetch: async (url) => {
          seen.push(url);
          return new Response(
            JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '7'] } }),
          );
        },
      },
    );
    expect(await ok.query('vector(7)')).toEqual({ kind: 'value', value: 7 });
    expect(seen).toEqual(['http://prom.example:9090/api/v1/query?query=vector%287%29']);
    const refusal = Object.assign(new Error('egress refused: 169.254.169.254 (link-local), which …'), {
      name: 'EgressRefusedError',
      permanent: true,
    });
    const refused = new PrometheusProvider(
      { type: 'prometheus', address: 'http://169.254.169.254' },
      { fetch: async () => Promise.reject(refusal) },
    );
    const err = await refused.query('up').catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(MetricQueryError);
    expect((err as Error).message).toBe(
      'prometheus at http://169.254.169.254: egress refused: 169.254.169.254 (link-local), which …',
    );
  });
});

describe('error text from the answer', () => {
  it('is clipped: a MetricTemplate address must not write a whole answer into history', async () => {
    const error = `bad query ${'e'.repeat(5000)}`;
    const p = new PrometheusProvider(
      { type: 'prometheus', address: 'http://prom.example' },
      { fetch: async () => new Response(JSON.stringify({ status: 'error', error }), { status: 400 }) },
    );
    const err = (await p.query('up').catch((e: unknown) => e)) as Error;
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).toMatch(/^prometheus rejected the query \(HTTP 400\): bad query e+… \(clipped\)$/);
  });
});
