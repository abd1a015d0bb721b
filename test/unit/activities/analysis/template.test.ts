import { describe, expect, it } from 'vitest';
import { QueryTemplateError, renderQuery } from '../../../../activities/analysis/template.js';

const model = { name: 'shop', namespace: 'prod', target: 'shop-api', service: 'shop-svc', interval: '2m' };

describe('renderQuery', () => {
  it('fills every placeholder, with or without spaces', () => {
    expect(
      renderQuery('{{ name }}|{{namespace}}|{{  target  }}|{{ service }}|{{ interval }}|{{ variables.le }}', {
        ...model,
        variables: { le: '0.5' },
      }),
    ).toBe('shop|prod|shop-api|shop-svc|2m|0.5');
  });

  it('leaves single braces and PromQL label sets alone', () => {
    expect(renderQuery('up{job="x"} and on() {__name__=~"a.*"}[{{ interval }}]', model)).toBe(
      'up{job="x"} and on() {__name__=~"a.*"}[2m]',
    );
  });

  it('does not expand placeholders inside variable values', () => {
    expect(renderQuery('{{ variables.w }}', { ...model, variables: { w: '{{ target }}' } })).toBe(
      '{{ target }}',
    );
  });

  it('names an unknown variable and suggests a close one', () => {
    expect(() =>
      renderQuery('{{ variables.treshold }}', { ...model, variables: { threshold: '1' } }),
    ).toThrow(
      new QueryTemplateError(
        'query uses {{ variables.treshold }} but the check sets no variable "treshold" (did you mean "threshold"?)',
      ),
    );
    expect(() => renderQuery('{{ variables.x }}', model)).toThrow('sets no variable "x"');
  });

  it('rejects unknown placeholders with a hint', () => {
    expect(() => renderQuery('{{ namespce }}', model)).toThrow(
      'query uses an unknown placeholder {{ namespce }} (did you mean "namespace"?)',
    );
    expect(() => renderQuery('{{ ingress }}', model)).toThrow('{{ ingress }}, which has no value here');
  });
});
