import { describe, expect, it } from 'vitest';
import { parseValueFileRef, ValueFileRefError } from '../../../../core/sync/value-file-ref.js';

describe('parseValueFileRef', () => {
  it('reads $<ref>/<path>, normalised, and leaves ordinary files alone', () => {
    expect(parseValueFileRef('$values/env/./prod.yaml')).toEqual({ ref: 'values', path: 'env/prod.yaml' });
    expect(parseValueFileRef('values-prod.yaml')).toBeUndefined();
  });

  it.each(['$values/../../etc/passwd', '$values/a/../../b', '$values', '$values/', '$../x', '$/etc/passwd'])(
    'refuses %s',
    (file) => {
      expect(() => parseValueFileRef(file)).toThrow(ValueFileRefError);
    },
  );
});
