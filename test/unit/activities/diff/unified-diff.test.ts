import { describe, expect, it } from 'vitest';
import { bound, toYaml, unifiedDiff } from '../../../../activities/diff/unified-diff.js';

describe('toYaml', () => {
  it('sorts keys so field order is never a difference, and does not fold long lines', () => {
    const long = 'x'.repeat(200);
    expect(toYaml({ b: 1, a: { d: long, c: 2 } })).toBe(`a:\n  c: 2\n  d: ${long}\nb: 1\n`);
    expect(toYaml(undefined)).toBe('');
  });
});

describe('unifiedDiff', () => {
  const spec = (replicas: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'prod' },
    spec: { replicas, paused: false, minReadySeconds: 0, revisionHistoryLimit: 10 },
  });

  it('shows live as "-" and desired as "+" under headers naming the object, with context', () => {
    expect(unifiedDiff('apps/Deployment prod/web', spec(2), spec(3))).toBe(
      [
        '--- live apps/Deployment prod/web',
        '+++ desired apps/Deployment prod/web',
        '@@ -6,5 +6,5 @@',
        ' spec:',
        '   minReadySeconds: 0',
        '   paused: false',
        '-  replicas: 2',
        '+  replicas: 3',
        '   revisionHistoryLimit: 10',
        '',
      ].join('\n'),
    );
  });

  it('honours the context option', () => {
    const diff = unifiedDiff('x', spec(2), spec(3), { context: 0 });
    expect(diff.split('\n').slice(2)).toEqual(['@@ -9,1 +9,1 @@', '-  replicas: 2', '+  replicas: 3', '']);
  });

  it('shows a missing side as all additions or all removals', () => {
    expect(unifiedDiff('ConfigMap cfg', undefined, { data: { a: '1' } })).toBe(
      '--- live ConfigMap cfg\n+++ desired ConfigMap cfg\n@@ -0,0 +1,2 @@\n+data:\n+  a: "1"\n',
    );
    expect(unifiedDiff('ConfigMap cfg', { data: { a: '1' } }, undefined)).toContain(
      '@@ -1,2 +0,0 @@\n-data:\n-  a: "1"\n',
    );
  });

  it('is bounded: past maxLines it says how many lines were left out', () => {
    const many = (v: string) => ({
      data: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, v])),
    });
    const diff = unifiedDiff('ConfigMap big', many('a'), many('b'), { maxLines: 10 });
    const lines = diff.trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    // 2 header lines, 1 hunk header, 50 removed, 50 added, `data:` as context = 104 lines.
    expect(lines[10]).toBe('… 94 more lines');
  });

  it('cuts lines longer than maxLineLength', () => {
    const diff = unifiedDiff(
      'ConfigMap c',
      { v: 'a'.repeat(1000) },
      { v: 'b'.repeat(1000) },
      { maxLineLength: 20 },
    );
    expect(diff).toContain(`-v: ${'a'.repeat(16)}…\n`);
    expect(diff.split('\n').every((l) => l.length <= 21)).toBe(true);
  });

  it('gives up on sides too different to diff usefully, saying so', () => {
    const lines = (p: string) => Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`${p}${i}`, i]));
    const diff = unifiedDiff('ConfigMap huge', lines('a'), lines('b'));
    expect(diff).toBe('--- live ConfigMap huge\n+++ desired ConfigMap huge\n… more than 1000 lines differ\n');
  });
});

describe('bound', () => {
  it('leaves short text as it is, ending in one newline', () => {
    expect(bound('a\nb\n', 2, 80)).toBe('a\nb\n');
    expect(bound('a\nb', 2, 80)).toBe('a\nb\n');
    expect(bound('a\nb\nc\n', 2, 80)).toBe('a\nb\n… 1 more lines\n');
  });
});

describe('unifiedDiff of a one-sided change', () => {
  it('lists a large object to create without diffing, bounded like any other', () => {
    const big = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i]));
    const added = unifiedDiff('ConfigMap big', undefined, big, { maxLines: 4 }).split('\n');
    expect(added).toEqual([
      '--- live ConfigMap big',
      '+++ desired ConfigMap big',
      '@@ -0,0 +1,3000 @@',
      '+k0: 0',
      '… 2999 more lines',
      '',
    ]);
    const removed = unifiedDiff('ConfigMap big', big, undefined, { maxLines: 4 }).split('\n');
    expect(removed.slice(2, 4)).toEqual(['@@ -1,3000 +0,0 @@', '-k0: 0']);
  });

  it('writes a single-line side the way the diff package does', () => {
    expect(unifiedDiff('x', undefined, { a: 1 })).toBe('--- live x\n+++ desired x\n@@ -0,0 +1,1 @@\n+a: 1\n');
  });
});
