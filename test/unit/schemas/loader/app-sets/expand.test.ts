import { describe, expect, it } from 'vitest';
import { formatLoadError, loadPipelineFiles } from '../../../../../schemas/loader/index.js';

const set = (name: string, elements: string, extra = '') => `apiVersion: sluice.dev/v1alpha1
kind: ApplicationSet
metadata: {name: ${name}}
spec:
  generators:
    - list: {elements: ${elements}}
  template:
    metadata: {name: "{{app}}"}
    spec:
      source: {repoURL: https://git.example/x.git, path: "apps/{{app}}"}
      destination: {namespace: "{{ns}}"}
${extra}`;
const app = (name: string) => `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: ${name}}
spec:
  source: {repoURL: https://git.example/x.git, path: x}
  destination: {namespace: x}
`;
const load = (files: Record<string, string>, opts = {}) => {
  const r = loadPipelineFiles(
    Object.entries(files).map(([path, content]) => ({ path, content })),
    opts,
  );
  return { ...r, messages: r.errors.map(formatLoadError) };
};

describe('ApplicationSet expansion in the loader', () => {
  it('generates Applications that carry the set’s file:line, the element and the set’s policy', () => {
    const r = load({
      'sets.yaml': set(
        'web',
        '[{app: a, ns: team-a}, {app: b, ns: team-b}]',
        '  syncPolicy: {applicationsSync: create-only, preserveResourcesOnDeletion: true}\n',
      ),
    });
    expect(r.messages).toEqual([]);
    const apps = r.objects.filter((o) => o.kind === 'Application');
    expect(apps.map((o) => [o.metadata.name, o.source, o.generatedBy])).toEqual([
      [
        'a',
        { file: 'sets.yaml', line: 1 },
        {
          set: 'default/web',
          element: 'spec.generators[0].list.elements[0]',
          policy: 'create-only',
          preserve: true,
        },
      ],
      [
        'b',
        { file: 'sets.yaml', line: 1 },
        {
          set: 'default/web',
          element: 'spec.generators[0].list.elements[1]',
          policy: 'create-only',
          preserve: true,
        },
      ],
    ]);
    expect(apps[0]?.spec).toEqual({
      source: { repoURL: 'https://git.example/x.git', path: 'apps/a' },
      destination: { namespace: 'team-a' },
    });
  });

  it('a generated Application is validated like a written one: the error names the set’s line and the element', () => {
    const r = load({ 'sets.yaml': set('web', '[{app: a, ns: "Not A Label"}]') });
    expect(r.messages).toEqual([
      'sets.yaml:11:32: spec.template.spec.destination.namespace: generated Application "a" (spec.generators[0].list.elements[0]): must be a lowercase DNS label: a-z, 0-9 and \'-\', starting and ending with a letter or digit',
    ]);
    expect(r.objects.filter((o) => o.kind === 'Application')).toEqual([]);
  });

  it('names that collide, generated vs written or between sets, are errors naming both files and lines', () => {
    const r = load({
      'hand.yaml': app('a'),
      'sets.yaml': `${set('one', '[{app: a, ns: x}]')}---\n${set('two', '[{app: b, ns: x}, {app: b, ns: y}]')}`,
    });
    expect(r.messages).toEqual([
      'sets.yaml:8:22: spec.template.metadata.name: generated Application "a" (spec.generators[0].list.elements[0]): Application "a" is already defined (first defined at hand.yaml:3:18)',
      'sets.yaml:20:22: spec.template.metadata.name: generated Application "b" (spec.generators[0].list.elements[1]): Application "b" is already defined (first defined at sets.yaml:20:22 (ApplicationSet default/two, spec.generators[0].list.elements[0]))',
    ]);
  });

  it('a placeholder no parameter fills is an error naming the element and the parameters it has', () => {
    const r = load({ 'sets.yaml': set('web', '[{app: a}]') });
    expect(r.messages).toEqual([
      'sets.yaml:8:5: spec.template: spec.generators[0].list.elements[0]: no parameter fills {{ns}} (this element has app)',
    ]);
    expect(r.objects).toEqual([]);
  });

  it('the repository’s bound Projects apply to generated Applications', () => {
    const r = load(
      {
        'sets.yaml': set('web', '[{app: a, ns: x}]').replace(
          'destination:',
          'project: "{{app}}"\n      destination:',
        ),
      },
      { projects: { bound: ['team'] } },
    );
    expect(r.messages).toEqual([
      expect.stringMatching(
        /^sets\.yaml:\d+:\d+: spec\.template\.spec\.project: generated Application "a" \(spec\.generators\[0\]\.list\.elements\[0\]\): Project "a" is not bound to this repository/,
      ),
    ]);
  });

  it('skipGenerators checks the set alone (sluice convert)', () => {
    const r = load({ 'sets.yaml': set('web', '[{app: a}]') }, { skipGenerators: true });
    expect(r.messages).toEqual([]);
    expect(r.objects.map((o) => o.kind)).toEqual(['ApplicationSet']);
  });
});
