import { describe, expect, it } from 'vitest';
import { evaluateCheck, formatNumber, overallVerdict } from '../../../../activities/analysis/evaluate.js';
import { validateSuccessCondition } from '../../../../core/analysis/condition.js';

const value = (v: number) => ({ kind: 'value' as const, value: v });
const q = 'some_query';

describe('evaluateCheck', () => {
  it('thresholdRange min and max', () => {
    const check = { name: 'request-success-rate', thresholdRange: { min: 99 } };
    expect(evaluateCheck(check, q, value(87.5))).toEqual({
      name: 'request-success-rate',
      query: q,
      value: 87.5,
      thresholdRange: { min: 99 },
      verdict: 'Failed',
      message: 'request-success-rate 87.5 < min 99',
    });
    expect(evaluateCheck(check, q, value(99)).verdict).toBe('Successful');
    expect(evaluateCheck(check, q, value(99.25)).message).toBe('request-success-rate 99.25 >= min 99');
    const duration = { name: 'request-duration', thresholdRange: { max: 500 } };
    expect(evaluateCheck(duration, q, value(620.12345)).message).toBe('request-duration 620.123 > max 500');
    expect(evaluateCheck(duration, q, value(500)).verdict).toBe('Successful');
    const both = { name: 'x', thresholdRange: { min: 1, max: 2 } };
    expect(evaluateCheck(both, q, value(1.5)).message).toBe('x 1.5 >= min 1, <= max 2');
    expect(evaluateCheck(both, q, value(3)).message).toBe('x 3 > max 2');
  });

  it('successCondition in CEL over result', () => {
    const check = { name: 'ratio', successCondition: 'result >= 0.99' };
    expect(evaluateCheck(check, q, value(0.995))).toMatchObject({
      verdict: 'Successful',
      successCondition: 'result >= 0.99',
      message: 'ratio 0.995 meets "result >= 0.99"',
    });
    expect(evaluateCheck(check, q, value(0.5))).toMatchObject({
      verdict: 'Failed',
      message: 'ratio 0.5 fails "result >= 0.99"',
    });
    // Comparisons with int literals work on the double result.
    expect(
      evaluateCheck({ name: 'p', successCondition: 'result > 1 && result < 500' }, q, value(3)).verdict,
    ).toBe('Successful');
  });

  it('both thresholdRange and successCondition must hold', () => {
    const check = { name: 'x', thresholdRange: { max: 10 }, successCondition: 'result > 5' };
    expect(evaluateCheck(check, q, value(7)).verdict).toBe('Successful');
    expect(evaluateCheck(check, q, value(3))).toMatchObject({
      verdict: 'Failed',
      message: 'x 3 fails "result > 5"',
    });
    expect(evaluateCheck(check, q, value(11)).verdict).toBe('Failed');
  });

  it('a CEL error is an Error verdict', () => {
    const r = evaluateCheck({ name: 'x', successCondition: 'reslt > 1' }, q, value(1));
    expect(r.verdict).toBe('Error');
    expect(r.message).toContain('x: successCondition "reslt > 1":');
    expect(evaluateCheck({ name: 'x', successCondition: 'result + 1.0' }, q, value(1)).message).toContain(
      'must evaluate to a bool, not double',
    );
    expect(validateSuccessCondition('result >= 99')).toBeUndefined();
    expect(validateSuccessCondition('result >=')).toBeDefined();
  });

  it('no data is Inconclusive, never a pass, whatever the threshold', () => {
    const r = evaluateCheck({ name: 'x', thresholdRange: { max: 1e9 } }, q, {
      kind: 'noData',
      reason: 'query returned no series',
    });
    expect(r).toEqual({
      name: 'x',
      query: q,
      thresholdRange: { max: 1e9 },
      verdict: 'Inconclusive',
      message: 'x: no data (query returned no series)',
    });
  });

  it('an infinite P99 fails a max and stays out of the JSON-bound value field', () => {
    const r = evaluateCheck({ name: 'request-duration', thresholdRange: { max: 500 } }, q, value(Infinity));
    expect(r).toMatchObject({ verdict: 'Failed', message: 'request-duration Infinity > max 500' });
    expect(r).not.toHaveProperty('value');
  });

  it('formats numbers with at most three decimals', () => {
    expect(formatNumber(80)).toBe('80');
    expect(formatNumber(79.99999)).toBe('80');
    expect(formatNumber(0.12345)).toBe('0.123');
  });
});

describe('overallVerdict', () => {
  const v = (...verdicts: ('Successful' | 'Failed' | 'Inconclusive' | 'Error')[]) =>
    verdicts.map((verdict) => ({ verdict }));
  it('Failed if any check failed or errored, else Inconclusive if any was, else Successful', () => {
    expect(overallVerdict(v('Successful', 'Error'))).toBe('Failed');
    expect(overallVerdict(v('Inconclusive', 'Failed'))).toBe('Failed');
    expect(overallVerdict(v('Successful', 'Inconclusive'))).toBe('Inconclusive');
    expect(overallVerdict(v('Successful', 'Successful'))).toBe('Successful');
    expect(overallVerdict([])).toBe('Successful');
  });
});
