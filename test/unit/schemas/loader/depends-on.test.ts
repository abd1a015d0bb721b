import { describe, expect, it } from 'vitest';
import { findCycles } from '../../../../schemas/loader/depends-on.js';
import { errorLines, load } from '../helpers.js';

const app = (name: string, deps: string) => `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  source: {repoURL: https://git.example.com/${name}.git}
  destination: {namespace: ${name}}
${deps}`;

const on = (...names: string[]) => `  dependsOn:\n${names.map((n) => `    - name: ${n}\n`).join('')}`;

describe('dependsOn', () => {
  it('accepts a chain of dependencies in one repository', () => {
    const result = load({ 'a.yaml': app('a', on('b')), 'b.yaml': app('b', on('c')), 'c.yaml': app('c', '') });
    expect(result.errors).toEqual([]);
    expect(result.objects).toHaveLength(3);
  });

  it('reports a cycle on every member with each file:line of the cycle', () => {
    const files = { 'a.yaml': app('a', on('b')), 'b.yaml': app('b', on('c')), 'c.yaml': app('c', on('a')) };
    const cycle = 'dependency cycle: a (a.yaml:9) → b (b.yaml:9) → c (c.yaml:9) → a';
    const hint = '(an Application in a cycle would wait for itself forever)';
    expect(errorLines(files)).toEqual([
      `a.yaml:9:13: spec.dependsOn[0].name: ${cycle} ${hint}`,
      `b.yaml:9:13: spec.dependsOn[0].name: ${cycle} ${hint}`,
      `c.yaml:9:13: spec.dependsOn[0].name: ${cycle} ${hint}`,
    ]);
    // The commit is invalid as a whole: none of the cycle's Applications is loaded.
    expect(load(files).objects).toEqual([]);
  });

  it('reports an Application depending on itself', () => {
    expect(errorLines({ 'a.yaml': app('a', on('a')) })).toEqual([
      'a.yaml:9:13: spec.dependsOn[0].name: Application "a" depends on itself (an Application in a cycle would wait for itself forever)',
    ]);
  });

  it('reports an unknown Application of the same repository, with a did-you-mean', () => {
    expect(errorLines({ 'a.yaml': app('a', on('dbb')), 'db.yaml': app('db', '') })).toEqual([
      'a.yaml:9:13: spec.dependsOn[0].name: Application "dbb" not found in this repository (did you mean "db"?)',
    ]);
  });

  it('leaves dependencies of other repositories to the runtime, and checks ones naming this repository', () => {
    const other = `${on('x')}      repo: platform\n`;
    expect(errorLines({ 'a.yaml': app('a', other) })).toEqual([]);
    const self = `${on('x')}      repo: shop\n`;
    expect(errorLines({ 'a.yaml': app('a', self) }, { repoId: 'shop' })).toHaveLength(1);
    // A cycle through a name of this repository spelled with its id is still a cycle.
    const back = `${on('a')}      repo: shop\n`;
    const errors = errorLines({ 'a.yaml': app('a', on('b')), 'b.yaml': app('b', back) }, { repoId: 'shop' });
    expect(errors.map((e) => e.split(': ').slice(2).join(': '))).toEqual([
      'dependency cycle: a (a.yaml:9) → b (b.yaml:9) → a (an Application in a cycle would wait for itself forever)',
      'dependency cycle: a (a.yaml:9) → b (b.yaml:9) → a (an Application in a cycle would wait for itself forever)',
    ]);
  });

  it('rejects a malformed entry by schema', () => {
    expect(errorLines({ 'a.yaml': app('a', '  dependsOn: [{repo: shop}]\n') })[0]).toContain('name');
  });

  // Attack: the values become a workflow ID (app/<repo>/<name>); a "/" or ".." must not address another workflow.
  it.each([
    ['{name: db, repo: other/app}', 'spec.dependsOn[0].repo'],
    ['{name: db, repo: ""}', 'spec.dependsOn[0].repo'],
    ['{name: "x/../db"}', 'spec.dependsOn[0].name'],
    ['{name: "-db"}', 'spec.dependsOn[0].name'],
    ['{name: db, repo: shop, namespace: x}', 'spec.dependsOn[0]'],
  ])('refuses %s', (entry, field) => {
    const errors = errorLines({ 'a.yaml': app('a', `  dependsOn: [${entry}]\n`) });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toContain(`: ${field}`);
  });
});

describe('findCycles', () => {
  const graph = (edges: Record<string, string[]>) =>
    new Map(Object.entries(edges).map(([k, v]) => [k, v.map((to) => ({ from: k, to }))]));

  it('finds no cycle in a diamond', () => {
    expect(findCycles(graph({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toEqual([]);
  });

  it('finds each cycle once, as its edges in order', () => {
    const cycles = findCycles(graph({ a: ['b'], b: ['a', 'c'], c: ['c'], d: ['a'] }));
    expect(cycles.map((c) => c.map((e) => `${e.from}>${e.to}`))).toEqual([['a>b', 'b>a'], ['c>c']]);
  });
});
