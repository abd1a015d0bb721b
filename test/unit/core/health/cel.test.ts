import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it, vi } from 'vitest';
import { evaluateCel } from '../../../../core/health/cel.js';
import { validateCelExpression } from '../../../../core/health/health.js';

describe('validateCelExpression', () => {
  it('accepts boolean expressions over self and the top-level fields', () => {
    expect(validateCelExpression("self.status.conditions.exists(c, c.type == 'Ready')")).toBeUndefined();
    expect(validateCelExpression('status.?readyReplicas.orValue(0) >= spec.replicas')).toBeUndefined();
    expect(validateCelExpression('metadata.generation == status.observedGeneration')).toBeUndefined();
  });

  it.each([
    ['self.status ==', 'Unexpected token'],
    ['slef.status.ready', 'Unknown variable: slef'],
    ['1 + 2', 'must evaluate to a bool, not int'],
    ['"a" + 1', 'no such overload'],
  ])('rejects %s', (expr, message) => {
    expect(validateCelExpression(expr)).toContain(message);
  });
});

describe('evaluateCel', () => {
  it('compiles each distinct expression once', () => {
    const parse = vi.spyOn(Environment.prototype, 'parse');
    const expr = 'self.x == 41 || self.x == 42';
    expect(evaluateCel(expr, { self: { x: 42n } })).toEqual({ value: true });
    expect(evaluateCel(expr, { self: { x: 1n } })).toEqual({ value: false });
    expect(validateCelExpression(expr)).toBeUndefined();
    expect(parse.mock.calls.filter(([text]) => text === expr)).toHaveLength(1);
    parse.mockRestore();
  });

  it('returns errors rather than throwing', () => {
    expect(evaluateCel('self.missing', { self: {} })).toEqual({ error: 'No such key: missing' });
  });
});
