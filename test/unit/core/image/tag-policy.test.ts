// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} is Flux's extract syntax under test
import { describe, expect, it } from 'vitest';
import { filterTags, selectTag, TagPolicyError } from '../../../../core/image/tag-policy.js';

describe('selectTag', () => {
  const tags = ['1.0.0', 'v1.2.0', '1.10.0', '2.0.0-rc.1', '2.0.0', 'latest', 'main-abc'];

  it('semver: the highest version in range, v prefixes accepted, prereleases only when asked', () => {
    expect(selectTag(tags, { semver: { range: '>=1.0.0 <2.0.0' } })).toBe('1.10.0');
    expect(selectTag(tags, { semver: { range: '*' } })).toBe('2.0.0');
    expect(selectTag(['1.0.0', '2.0.0-rc.1'], { semver: { range: '>=2.0.0-0' } })).toBe('2.0.0-rc.1');
    expect(selectTag(['1.0.0', '2.0.0-rc.1'], { semver: { range: '>=1.0.0' } })).toBe('1.0.0');
    expect(selectTag(['v1.2.0', '1.1.0'], { semver: { range: '^1' } })).toBe('v1.2.0');
    expect(selectTag(['latest'], { semver: { range: '*' } })).toBeUndefined();
  });

  it('semver: a bad range is a TagPolicyError', () => {
    expect(() => selectTag(tags, { semver: { range: 'not a range!' } })).toThrow(TagPolicyError);
  });

  it('numerical: asc takes the largest number, desc the smallest; non-numbers ignored', () => {
    const n = ['9', '10', '100', '2', 'x', '1.5'];
    expect(selectTag(n, { numerical: { order: 'asc' } })).toBe('100');
    expect(selectTag(n, { numerical: {} })).toBe('100');
    expect(selectTag(n, { numerical: { order: 'desc' } })).toBe('1.5');
  });

  it('alphabetical: asc takes the last, desc the first', () => {
    const a = ['RELEASE.2024-01-01', 'RELEASE.2025-06-30', 'RELEASE.2025-01-15'];
    expect(selectTag(a, { alphabetical: {} })).toBe('RELEASE.2025-06-30');
    expect(selectTag(a, { alphabetical: { order: 'desc' } })).toBe('RELEASE.2024-01-01');
  });

  it('filterTags with extract compares the extracted part and answers the whole tag', () => {
    const t = ['main-abc123-1700000001', 'main-def456-1700000100', 'dev-aaa-1800000000', 'main-x'];
    const filter = { pattern: '^main-[a-f0-9]+-(?<ts>[0-9]+)$', extract: '$ts' };
    expect(filterTags(t, filter).map((c) => c.key)).toEqual(['1700000001', '1700000100']);
    expect(selectTag(t, { numerical: { order: 'asc' } }, filter)).toBe('main-def456-1700000100');
    expect(selectTag(t, { numerical: {} }, { pattern: '^dev-\\w+-(\\d+)$', extract: '${1}' })).toBe(
      'dev-aaa-1800000000',
    );
  });

  it('filterTags without extract only drops; a semver policy over a prefixed scheme', () => {
    const t = ['app-1.0.0', 'app-1.3.0', 'other-9.0.0'];
    expect(selectTag(t, { semver: { range: '>=1.0.0' } }, { pattern: '^app-(?<v>.*)$', extract: '$v' })).toBe(
      'app-1.3.0',
    );
    expect(selectTag(t, { alphabetical: {} }, { pattern: '^app-' })).toBe('app-1.3.0');
  });

  it('refuses a bad or oversized pattern, and ignores tags longer than OCI allows', () => {
    expect(() => filterTags(['a'], { pattern: '(' })).toThrow(/not a regular expression/);
    expect(() => filterTags(['a'], { pattern: 'a'.repeat(300) })).toThrow(/longer than/);
    expect(selectTag(['1', '9'.repeat(200)], { numerical: {} })).toBe('1');
  });
});
