import { describe, expect, it } from 'vitest';
import {
  atPath,
  postBuildVariables,
  type ReadObjectData,
  valuesFromLayers,
} from '../../../../activities/sync/cluster-values.js';

// A namespace's ConfigMaps and Secrets as plain data: these functions take a reader, the activity passes the real one.
const objects: Record<string, Record<string, string>> = {
  'ConfigMap/base': { 'values.yaml': 'replicas: 2\nimage:\n  tag: "1.0"\n', other: 'x: 1' },
  'Secret/creds': { token: 'tok-secret-1', 'values.yaml': 'not: [valid' },
  'ConfigMap/vars': { CLUSTER: 'eu', 'bad-name': 'v' },
};
const read: ReadObjectData = async (kind, name) => objects[`${kind}/${name}`];

describe('values and variables read from the destination namespace', () => {
  it('valuesFrom: YAML maps in order, targetPath values as strings, optional refs skipped', async () => {
    const layers = await valuesFromLayers(
      [
        { kind: 'ConfigMap', name: 'base' },
        { kind: 'Secret', name: 'creds', valuesKey: 'token', targetPath: 'auth.token' },
        { kind: 'ConfigMap', name: 'missing', optional: true },
        { kind: 'ConfigMap', name: 'base', valuesKey: 'nope', optional: true },
      ],
      read,
      'app',
    );
    expect(layers).toEqual([{ replicas: 2, image: { tag: '1.0' } }, { auth: { token: 'tok-secret-1' } }]);
    expect(atPath('a\\.b.c', 'v')).toEqual({ 'a.b': { c: 'v' } });
  });

  it('valuesFrom: a missing object or key fails naming it; invalid YAML is not echoed', async () => {
    await expect(valuesFromLayers([{ kind: 'ConfigMap', name: 'missing' }], read, 'app')).rejects.toThrow(
      /render.valuesFrom\[0\]: ConfigMap app\/missing does not exist/,
    );
    await expect(
      valuesFromLayers([{ kind: 'ConfigMap', name: 'base', valuesKey: 'k' }], read, 'app'),
    ).rejects.toThrow(/has no key "k"/);
    const e = await valuesFromLayers([{ kind: 'Secret', name: 'creds' }], read, 'app').catch((x: Error) => x);
    expect((e as Error).message).toMatch(/key "values.yaml" is not valid YAML$/);
    expect((e as Error).message).not.toContain('valid [');
  });

  it('substituteFrom in order, then substitute winning; bad names and missing objects fail', async () => {
    const vars = await postBuildVariables(
      {
        substituteFrom: [
          { kind: 'Secret', name: 'creds', optional: true },
          { kind: 'ConfigMap', name: 'gone', optional: true },
        ],
        substitute: { token: 'inline' },
      },
      async (_kind, name) => (name === 'creds' ? { token: 'from-secret', other: 'o' } : undefined),
      'app',
    );
    expect(Object.fromEntries(vars)).toEqual({ token: 'inline', other: 'o' });
    await expect(
      postBuildVariables({ substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }] }, read, 'app'),
    ).rejects.toThrow(/ConfigMap app\/vars: key "bad-name" is not a variable name/);
    await expect(
      postBuildVariables({ substituteFrom: [{ kind: 'Secret', name: 'x' }] }, read, 'app'),
    ).rejects.toThrow(/Secret app\/x does not exist/);
  });
});
