// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is the Pipeline expression syntax under test
import { describe, expect, it } from 'vitest';
import {
  type ExpressionContext,
  evaluateCondition,
  interpolate,
  parseExpression,
  referencesOf,
  templateExpressions,
} from '../../../workflows/pipeline/expressions.js';

const ctx: ExpressionContext = {
  trigger: { kind: 'manual', revision: 'abc123', inputs: { tag: '1.2' } },
  steps: {
    test: { outcome: 'success', outputs: { url: 'http://x', status: 200, passed: true } },
    'deploy-staging': { outcome: 'failure', outputs: {} },
  },
  run: { id: '7', workflowId: 'pipeline/p/7' },
  pipeline: { name: 'p', namespace: 'default' },
};

describe('pipeline expressions', () => {
  it('reads the trigger, step outputs, the run and the pipeline', () => {
    expect(interpolate('${{ trigger.revision }}', ctx)).toBe('abc123');
    expect(interpolate('${{ steps.test.outputs.url }}/health', ctx)).toBe('http://x/health');
    expect(interpolate('${{trigger.inputs.tag}}', ctx)).toBe('1.2');
    expect(interpolate('run ${{ run.id }} of ${{ pipeline.name }}', ctx)).toBe('run 7 of p');
    expect(interpolate("${{ steps['deploy-staging'].outcome }}", ctx)).toBe('failure');
  });

  it('keeps the type of a whole-string expression and stringifies inside text', () => {
    expect(interpolate('${{ steps.test.outputs.status }}', ctx)).toBe(200);
    expect(interpolate('${{ steps.test.outputs.passed }}', ctx)).toBe(true);
    expect(interpolate('code ${{ steps.test.outputs.status }}', ctx)).toBe('code 200');
  });

  it('walks objects and arrays and leaves other values alone', () => {
    expect(interpolate({ a: ['${{ run.id }}', 3], b: { c: '${{ trigger.kind }}' }, d: null }, ctx)).toEqual({
      a: ['7', 3],
      b: { c: 'manual' },
      d: null,
    });
  });

  it('fails on a value the run does not have instead of inserting "undefined"', () => {
    expect(() => interpolate('${{ steps.test.outputs.nope }}', ctx)).toThrow(/has no value in this run/);
    expect(() => interpolate('x ${{ trigger.application }}', ctx)).toThrow(/has no value in this run/);
  });

  it('evaluates conditions with == != && || ! and parentheses', () => {
    expect(evaluateCondition("steps.test.outcome == 'success'", ctx)).toBe(true);
    expect(evaluateCondition("${{ steps.test.outcome != 'success' }}", ctx)).toBe(false);
    expect(evaluateCondition("steps.test.outputs.status == '200' && !steps.x.outcome", ctx)).toBe(true);
    expect(evaluateCondition("(trigger.kind == 'schedule' || trigger.kind == 'manual') && true", ctx)).toBe(
      true,
    );
    expect(evaluateCondition('trigger.application == null', ctx)).toBe(true);
    expect(evaluateCondition('steps.test.outputs.passed', ctx)).toBe(true);
    expect(evaluateCondition("''", ctx)).toBe(false);
  });

  it('reports syntax errors with the character they are at', () => {
    expect(() => parseExpression('steps.test ==')).toThrow(/expected a value at the end/);
    expect(() => parseExpression("trigger.revision == 'x")).toThrow(
      /unterminated string starting at character 21/,
    );
    expect(() => parseExpression('a b')).toThrow(/expected an operator or the end at character 3/);
    expect(() => parseExpression('a + b')).toThrow(/unexpected character "\+" at character 3/);
    expect(() => parseExpression('')).toThrow(/empty expression/);
    expect(() => parseExpression('steps.')).toThrow(/a name after "\."/);
  });

  it('lists the references of an expression and the expressions of a string', () => {
    expect(
      referencesOf(parseExpression("steps.a.outputs.b == trigger.revision || !run['id']")).map((r) => r.path),
    ).toEqual([
      ['steps', 'a', 'outputs', 'b'],
      ['trigger', 'revision'],
      ['run', 'id'],
    ]);
    expect(templateExpressions('x ${{ a }} y ${{b.c}}')).toEqual([
      { source: ' a ', offset: 5 },
      { source: 'b.c', offset: 16 },
    ]);
  });

  it('never evaluates code: names are looked up, not executed', () => {
    expect(() => interpolate('${{ constructor }}', ctx)).toThrow(/has no value/);
    expect(() => interpolate('${{ trigger.__proto__.toString }}', ctx)).toThrow(/has no value/);
  });
});
