import { describe, expect, it } from 'vitest';
import { generate } from '../../../../../schemas/loader/app-sets/generate.js';
import type { GeneratorInputs } from '../../../../../schemas/loader/app-sets/inputs.js';
import { fillTemplate } from '../../../../../schemas/loader/app-sets/template.js';

const at = ['spec', 'generators', 0];
const tree = (files: string[], contents: Record<string, string> = {}): GeneratorInputs => ({
  repoUrl: 'https://git.example/team.git',
  repo: { files, contents },
});

describe('ApplicationSet generators', () => {
  it('list: one set per element, nested keys flattened with dots', () => {
    const { sets, issues } = generate(
      { list: { elements: [{ env: 'dev', values: { replicas: 1, tags: ['a'] } }, { env: 'prod' }] } },
      at,
      {},
    );
    expect(issues).toEqual([]);
    expect(sets).toEqual([
      {
        params: { env: 'dev', 'values.replicas': '1', 'values.tags.0': 'a' },
        element: 'spec.generators[0].list.elements[0]',
      },
      { params: { env: 'prod' }, element: 'spec.generators[0].list.elements[1]' },
    ]);
  });

  it('git directories: folders a glob matches (one level per *), exclusions win whatever their order', () => {
    const inputs = tree([
      'apps/web/a.yaml',
      'apps/api/deep/b.yaml',
      'apps/old/c.yaml',
      'apps/My_App/d.yaml',
      'README.md',
    ]);
    const { sets } = generate(
      { git: { directories: [{ path: 'apps/old', exclude: true }, { path: 'apps/*' }] } },
      at,
      inputs,
    );
    expect(sets.map((s) => s.params.path)).toEqual(['apps/My_App', 'apps/api', 'apps/web']);
    expect(sets[0]).toEqual({
      params: {
        path: 'apps/My_App',
        'path.basename': 'My_App',
        'path.basenameNormalized': 'my-app',
        'path[0]': 'apps',
        'path[1]': 'My_App',
      },
      element: 'spec.generators[0].git.directories: apps/My_App',
    });
  });

  it('git directories of another repository come from its own tree, by URL and revision', () => {
    const inputs: GeneratorInputs = {
      repoUrl: 'https://git.example/team.git',
      repo: { files: ['apps/mine/a.yaml'], contents: {} },
      others: { 'https://git.example/other.git@v1': { files: ['apps/theirs/a.yaml'], contents: {} } },
    };
    const git = {
      repoURL: 'https://git.example/other.git',
      revision: 'v1',
      directories: [{ path: 'apps/*' }],
    } as const;
    expect(
      generate({ git: { ...git, directories: [...git.directories] } }, at, inputs).sets.map(
        (s) => s.params.path,
      ),
    ).toEqual(['apps/theirs']);
    // The watched repository spelled differently is still the watched one.
    const same = { repoURL: 'https://git.example/team', directories: [{ path: 'apps/*' }] };
    expect(generate({ git: same } as never, at, inputs).sets.map((s) => s.params.path)).toEqual([
      'apps/mine',
    ]);
    // Refused or unread: the answer's error at repoURL.
    const refused = {
      ...inputs,
      others: { 'https://git.example/other.git@v1': { error: 'not in sourceRepos' } },
    };
    expect(generate({ git: { ...git, directories: [...git.directories] } }, at, refused).issues).toEqual([
      {
        field: [...at, 'git', 'repoURL'],
        at: [...at, 'git', 'repoURL'],
        prefer: 'value',
        message: 'not in sourceRepos',
      },
    ]);
    expect(generate({ git: { directories: [{ path: 'x/*' }] } }, at, {}).issues[0]?.message).toMatch(
      /were not read/,
    );
  });

  it('git files: JSON or YAML mappings flattened, a top-level list is one set per element, with path parameters', () => {
    const inputs = tree(['clusters/eu/config.json', 'clusters/us/config.yaml', 'clusters/us/other.txt'], {
      'clusters/eu/config.json': '{"cluster": {"name": "eu", "address": "https://eu"}}',
      'clusters/us/config.yaml': '- {cluster: {name: us-1}}\n- {cluster: {name: us-2}}\n',
    });
    const { sets, issues } = generate(
      { git: { files: [{ path: 'clusters/*/config.json' }, { path: 'clusters/*/config.yaml' }] } },
      at,
      inputs,
    );
    expect(issues).toEqual([]);
    expect(sets.map((s) => [s.params['cluster.name'], s.element])).toEqual([
      ['eu', 'spec.generators[0].git.files: clusters/eu/config.json'],
      ['us-1', 'spec.generators[0].git.files: clusters/us/config.yaml[0]'],
      ['us-2', 'spec.generators[0].git.files: clusters/us/config.yaml[1]'],
    ]);
    expect(sets[0]?.params).toMatchObject({
      'cluster.address': 'https://eu',
      path: 'clusters/eu',
      'path.basename': 'eu',
      'path.filename': 'config.json',
      'path.filenameNormalized': 'config-json',
      'path[1]': 'eu',
    });
  });

  it('git files: a file that is not a mapping, or not YAML, is an issue naming it', () => {
    const inputs = tree(['a/x.yaml', 'b/x.yaml'], { 'a/x.yaml': '- 1\n- 2\n', 'b/x.yaml': 'a: [\n' });
    const { sets, issues } = generate({ git: { files: [{ path: '*/x.yaml' }] } }, at, inputs);
    expect(sets).toEqual([]);
    expect(issues.map((i) => i.message)).toEqual([
      'a/x.yaml: must hold a mapping or a list of mappings',
      expect.stringMatching(/^b\/x\.yaml: not JSON or YAML/),
    ]);
  });

  it('clusters: in-cluster and the worker’s clusters; a selector keeps those with every label', () => {
    const inputs: GeneratorInputs = {
      clusters: [
        { name: 'in-cluster' },
        { name: 'Prod_EU', labels: { env: 'prod', region: 'eu' } },
        { name: 'staging', labels: { env: 'staging' } },
      ],
    };
    expect(generate({ clusters: {} }, at, inputs).sets.map((s) => s.params.name)).toEqual([
      'in-cluster',
      'Prod_EU',
      'staging',
    ]);
    const prod = generate({ clusters: { selector: { matchLabels: { env: 'prod' } } } }, at, inputs).sets;
    expect(prod).toEqual([
      {
        params: {
          name: 'Prod_EU',
          nameNormalized: 'prod-eu',
          'metadata.labels.env': 'prod',
          'metadata.labels.region': 'eu',
        },
        element: 'spec.generators[0].clusters: Prod_EU',
      },
    ]);
    // Without the worker's list: in-cluster alone.
    expect(generate({ clusters: {} }, at, {}).sets.map((s) => s.params.name)).toEqual(['in-cluster']);
  });

  it('matrix: every pair of the two generators’ sets, the second’s value winning a shared name', () => {
    const inputs = {
      ...tree(['apps/web/a.yaml', 'apps/api/a.yaml']),
      clusters: [{ name: 'a' }, { name: 'b' }],
    };
    const { sets } = generate(
      {
        matrix: {
          generators: [
            { git: { directories: [{ path: 'apps/*' }] } },
            { list: { elements: [{ name: 'x', path: 'override' }] } },
          ],
        },
      },
      at,
      inputs,
    );
    expect(sets.map((s) => [s.params['path.basename'], s.params.path, s.params.name])).toEqual([
      ['api', 'override', 'x'],
      ['web', 'override', 'x'],
    ]);
    expect(sets[0]?.element).toBe(
      'spec.generators[0].matrix.generators[0].git.directories: apps/api × spec.generators[0].matrix.generators[1].list.elements[0]',
    );
    const clusters = generate(
      { matrix: { generators: [{ git: { directories: [{ path: 'apps/*' }] } }, { clusters: {} }] } },
      at,
      inputs,
    );
    expect(clusters.sets).toHaveLength(4);
  });
});

describe('fillTemplate', () => {
  it('fills {{ name }} in string values (with or without spaces), leaves keys, and lists what nothing filled', () => {
    const { value, missing } = fillTemplate(
      {
        metadata: { name: '{{path.basename}}-{{ env }}', labels: { '{{env}}': 'x' } },
        spec: { n: 3, list: ['{{nope}}'] },
      },
      { 'path.basename': 'web', env: 'dev' },
    );
    expect(value).toEqual({
      metadata: { name: 'web-dev', labels: { '{{env}}': 'x' } },
      spec: { n: 3, list: ['{{nope}}'] },
    });
    expect(missing).toEqual(['nope']);
  });

  it('inserts a value as text, once: a value holding {{…}} is not filled again', () => {
    expect(fillTemplate('{{a}}', { a: '{{b}}', b: 'x' }).value).toBe('{{b}}');
  });
});
