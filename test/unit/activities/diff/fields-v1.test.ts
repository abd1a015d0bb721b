import { describe, expect, it } from 'vitest';
import {
  fieldPaths,
  managedFieldSet,
  parseFieldsV1,
  parsePathElement,
  pathString,
  removeFieldSet,
} from '../../../../activities/diff/fields-v1.js';
import { liveDeployment, managedFields } from './fixtures.js';

describe('parsePathElement', () => {
  it.each([
    ['f:replicas', { field: 'replicas' }],
    ['f:deployment.kubernetes.io/revision', { field: 'deployment.kubernetes.io/revision' }],
    ['k:{"name":"app"}', { key: { name: 'app' } }],
    ['k:{"containerPort":80,"protocol":"TCP"}', { key: { containerPort: 80, protocol: 'TCP' } }],
    ['v:"example.com/finalizer"', { value: 'example.com/finalizer' }],
    ['v:3', { value: 3 }],
    ['i:2', { index: 2 }],
  ])('%s', (raw, element) => {
    expect(parsePathElement(raw)).toEqual(element);
  });

  it('rejects an unknown prefix', () => {
    expect(() => parsePathElement('x:nope')).toThrow(/unknown managedFields path element/);
  });
});

describe('parseFieldsV1 and fieldPaths', () => {
  it('lists owned leaves and `.`-marked nodes, not the nodes merely on the way', () => {
    expect(fieldPaths(parseFieldsV1(managedFields[0]?.fieldsV1)).map(pathString)).toEqual([
      '.metadata.annotations.x',
      '.metadata.labels.a',
      '.spec.selector',
      '.spec.template.metadata.labels.app',
      '.spec.template.spec.containers[name="app"]',
      '.spec.template.spec.containers[name="app"].image',
      '.spec.template.spec.containers[name="app"].name',
      '.spec.template.spec.containers[name="app"].ports[containerPort=80,protocol="TCP"]',
      '.spec.template.spec.containers[name="app"].ports[containerPort=80,protocol="TCP"].containerPort',
    ]);
  });

  it('prints set values and indices as structured-merge-diff does', () => {
    const set = parseFieldsV1({ 'f:metadata': { 'f:finalizers': { 'v:"x"': {} } }, 'f:args': { 'i:1': {} } });
    expect(fieldPaths(set).map(pathString)).toEqual(['.metadata.finalizers[="x"]', '.args[1]']);
  });

  it('treats {} as an owned leaf and an empty or missing fieldsV1 as owning nothing', () => {
    expect(parseFieldsV1({ 'f:replicas': {} })).toEqual({
      self: false,
      children: [{ element: { field: 'replicas' }, set: { self: true, children: [] } }],
    });
    expect(fieldPaths(parseFieldsV1({}))).toEqual([]);
    expect(fieldPaths(parseFieldsV1(undefined))).toEqual([]);
  });
});

describe('managedFieldSet', () => {
  it('merges the fields of every named manager and ignores the others', () => {
    const set = managedFieldSet(liveDeployment(), ['hpa-controller', 'kubectl-set']);
    expect(fieldPaths(set).map(pathString)).toEqual([
      '.spec.replicas',
      '.spec.template.spec.containers[name="app"].env',
      '.spec.template.spec.containers[name="app"].env[name="FOO"]',
      '.spec.template.spec.containers[name="app"].env[name="FOO"].name',
      '.spec.template.spec.containers[name="app"].env[name="FOO"].value',
    ]);
    expect(fieldPaths(managedFieldSet(liveDeployment(), ['nobody']))).toEqual([]);
  });

  it('owns nothing on an object without managedFields', () => {
    expect(fieldPaths(managedFieldSet({ apiVersion: 'v1', kind: 'ConfigMap' }, ['sluice']))).toEqual([]);
  });
});

describe('removeFieldSet', () => {
  it('removes an owned leaf', () => {
    const d = liveDeployment();
    removeFieldSet(d, managedFieldSet(d, ['hpa-controller']));
    expect(d.spec).not.toHaveProperty('replicas');
    expect(d.spec.revisionHistoryLimit).toBe(10);
  });

  it('removes an owned list item found by its key, then the list it emptied', () => {
    const d = liveDeployment();
    removeFieldSet(d, managedFieldSet(d, ['kubectl-set']));
    expect((d.spec.template as { spec: unknown }).spec).toEqual({
      containers: [
        {
          name: 'app',
          image: 'registry.k8s.io/pause:3.10',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
        },
      ],
    });
  });

  it('removes a `.`-owned map child by child, keeping what other managers own in it', () => {
    const d = liveDeployment();
    removeFieldSet(d, managedFieldSet(d, ['kube-controller-manager']));
    expect(d.metadata?.annotations).toEqual({ x: 'z' });
  });

  it('removes whole `.`-owned list items even when their fields are listed too', () => {
    const d = liveDeployment();
    removeFieldSet(d, managedFieldSet(d, ['sluice']));
    expect(d.spec).toEqual({ replicas: 5, revisionHistoryLimit: 10 });
    expect(d.metadata?.labels).toBeUndefined();
  });

  it('matches items of a set by value and of a list by index', () => {
    const obj = { metadata: { finalizers: ['a', 'b', 'c'] }, spec: { args: ['x', 'y', 'z'] } };
    removeFieldSet(
      obj,
      parseFieldsV1({
        'f:metadata': { 'f:finalizers': { 'v:"b"': {} } },
        'f:spec': { 'f:args': { 'i:0': {}, 'i:2': {} } },
      }),
    );
    expect(obj).toEqual({ metadata: { finalizers: ['a', 'c'] }, spec: { args: ['y'] } });
  });

  it('matches a multi-field key whatever the order of its fields', () => {
    const ports = [
      { protocol: 'UDP', containerPort: 53 },
      { protocol: 'TCP', containerPort: 53 },
    ];
    removeFieldSet(ports, parseFieldsV1({ 'k:{"containerPort":53,"protocol":"TCP"}': { '.': {} } }));
    expect(ports).toEqual([{ protocol: 'UDP', containerPort: 53 }]);
  });

  it('keeps an item that lost only some owned fields, and goes on when the shapes do not match', () => {
    const list = [{ name: 'app', image: 'a:1', args: ['x'] }];
    removeFieldSet(list, parseFieldsV1({ 'k:{"name":"app"}': { 'f:image': {} } }));
    expect(list).toEqual([{ name: 'app', args: ['x'] }]);
    const odd = { spec: 'not an object', list: { not: 'a list' } };
    removeFieldSet(odd, parseFieldsV1({ 'f:spec': { 'f:replicas': {} }, 'f:list': { 'k:{"a":1}': {} } }));
    expect(odd).toEqual({ spec: 'not an object', list: { not: 'a list' } });
  });
});
