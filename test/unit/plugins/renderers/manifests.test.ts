import { describe, expect, it } from 'vitest';
import { objectProblem, parseManifests } from '../../../../plugins/renderers/manifests.js';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('parseManifests', () => {
  it('skips empty and comment-only documents', () => {
    const objects = parseManifests(`---\n${cm('a')}---\n# only a comment\n---\n\n---\n${cm('b')}`, {
      file: 'x.yaml',
    });
    expect(objects.map((o) => o.metadata?.name)).toEqual(['a', 'b']);
  });

  it('flattens any kind ending in List, nested ones too', () => {
    const text = `apiVersion: v1
kind: ConfigMapList
items:
  - ${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } })}
  - apiVersion: v1
    kind: List
    items:
      - ${JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } })}
`;
    expect(parseManifests(text, { file: 'l.yaml' }).map((o) => o.kind)).toEqual(['ConfigMap', 'Secret']);
  });

  it('reads YAML 1.1 booleans and octals as Kubernetes does, but leaves dates and times as strings', () => {
    const [o] = parseManifests(
      `${cm('a')}data:\n  when: 2024-01-02\n  at: 1:30\n  quoted: "on"\nx:\n  flag: on\n  mode: 0600\n  hex: 0x10\n`,
      { file: 'a.yaml' },
    );
    expect(o).toMatchObject({
      data: { when: '2024-01-02', at: '1:30', quoted: 'on' },
      x: { flag: true, mode: 0o600, hex: 16 },
    });
  });

  it('rejects a duplicate key and a scalar document with the line', () => {
    expect(() => parseManifests(`${cm('a')}kind: Secret\n`, { file: 'd.yaml' })).toThrow(
      /^d\.yaml:5: YAML syntax error: Map keys must be unique/,
    );
    expect(() => parseManifests(`${cm('a')}---\njust a string\n`, { file: 's.yaml' })).toThrow(
      's.yaml:6: document 2 is not a Kubernetes object (a mapping)',
    );
  });

  it('names the template a helm "# Source:" comment points at, without output lines', () => {
    const output = `---\n# Source: web/templates/ok.yaml\n${cm('ok')}---\n# Source: web/templates/bad.yaml\napiVersion: v1\nkind: Service\n`;
    const origin = {
      file: 'charts/web',
      tool: 'helm template',
      source: (named: string) => `charts/web/${named.slice(4)}`,
    };
    expect(() => parseManifests(output, origin)).toThrow(
      'charts/web/templates/bad.yaml: helm template output: document 2 (Service) has no metadata.name',
    );
  });

  it('describes what an object lacks', () => {
    expect(objectProblem({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toBeUndefined();
    expect(objectProblem({ kind: 'Pod' })).toBe('(Pod) has no apiVersion, no metadata.name');
    expect(objectProblem({})).toBe('has no apiVersion, no kind, no metadata.name');
    expect(objectProblem([1])).toBe('is not a Kubernetes object (a mapping)');
  });
});
