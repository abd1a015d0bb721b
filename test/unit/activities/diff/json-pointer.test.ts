import { describe, expect, it } from 'vitest';
import { IgnoreRuleError } from '../../../../activities/diff/errors.js';
import { parseJsonPointer, removeJsonPointer } from '../../../../activities/diff/json-pointer.js';

describe('parseJsonPointer (RFC 6901)', () => {
  it.each([
    ['', []],
    ['/', ['']],
    ['/spec/replicas', ['spec', 'replicas']],
    ['/metadata/annotations/example.com~1owner', ['metadata', 'annotations', 'example.com/owner']],
    ['/a~0b', ['a~b']],
    // "~01" is a literal "~1": ~1 is not unescaped again after ~0 became "~".
    ['/a~01b', ['a~1b']],
    ['/spec/containers/0/image', ['spec', 'containers', '0', 'image']],
  ])('%j → %j', (pointer, tokens) => {
    expect(parseJsonPointer(pointer)).toEqual(tokens);
  });

  it.each(['spec/replicas', '/a~2b', '/a~'])('rejects %j', (pointer) => {
    expect(() => parseJsonPointer(pointer)).toThrow(IgnoreRuleError);
  });
});

describe('removeJsonPointer', () => {
  const doc = () => ({
    metadata: { annotations: { 'example.com/owner': 'team-a', keep: 'me' } },
    spec: {
      replicas: 3,
      containers: [
        { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] },
        { name: 'sidecar', image: 'proxy:1' },
      ],
    },
  });

  it('removes a map field', () => {
    const d = doc();
    removeJsonPointer(d, '/spec/replicas');
    expect(d.spec).not.toHaveProperty('replicas');
  });

  it('unescapes ~1 to find a key containing "/"', () => {
    const d = doc();
    removeJsonPointer(d, '/metadata/annotations/example.com~1owner');
    expect(d.metadata.annotations).toEqual({ keep: 'me' });
  });

  it('removes a field of a list item by index, and a list item itself', () => {
    const d = doc();
    removeJsonPointer(d, '/spec/containers/0/image');
    expect(d.spec.containers[0]).toEqual({ name: 'app', env: [{ name: 'A', value: '1' }] });
    removeJsonPointer(d, '/spec/containers/1');
    expect(d.spec.containers).toHaveLength(1);
  });

  it('removes the containers it empties, so {} does not differ from nothing', () => {
    const d = doc();
    removeJsonPointer(d, '/spec/containers/0/env/0');
    expect(d.spec.containers[0]).toEqual({ name: 'app', image: 'app:1' });
    const m = { metadata: { name: 'x', annotations: { only: 'one' } } };
    removeJsonPointer(m, '/metadata/annotations/only');
    expect(m).toEqual({ metadata: { name: 'x' } });
  });

  it('keeps containers that were already empty', () => {
    const d = { spec: { volumes: [{ name: 'tmp', emptyDir: {} }], replicas: 1 } };
    removeJsonPointer(d, '/spec/replicas');
    expect(d).toEqual({ spec: { volumes: [{ name: 'tmp', emptyDir: {} }] } });
  });

  it.each([
    '/spec/missing',
    '/spec/replicas/deeper',
    '/spec/containers/7',
    '/spec/containers/-',
    '/spec/containers/01',
    '/spec/containers/app',
    '/nothing/here/at/all',
  ])('does nothing for %j, which names nothing', (pointer) => {
    const d = doc();
    removeJsonPointer(d, pointer);
    expect(d).toEqual(doc());
  });

  it('refuses the whole-document pointer', () => {
    expect(() => removeJsonPointer(doc(), '')).toThrow(/whole object/);
  });
});
