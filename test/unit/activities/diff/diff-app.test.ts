import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { diffApplication } from '../../../../activities/diff/diff-app.js';
import { IgnoreRuleError } from '../../../../activities/diff/errors.js';
import { MissingKindError, type ObjectApi } from '../../../../activities/kube/object-api.js';

const owner = { repoId: 'default', project: 'default', app: 'web' };
const cm = (name: string, data: Record<string, string>, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'prod', annotations },
  data,
});
const key = (o: KubernetesObject) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`;

/** An in-memory stand-in for the API server: reads what it holds, "dry-runs" by returning the object given. */
function fakeApi(live: KubernetesObject[], opts: { failPatch?: Error } = {}) {
  const store = new Map(live.map((o) => [key(o), o]));
  const patched: KubernetesObject[] = [];
  const api = {
    async isNamespaced(_apiVersion: string, kind: string) {
      if (kind === 'Widget') throw new MissingKindError('no Widget');
      return true;
    },
    async read(o: KubernetesObject) {
      const found = store.get(key(o));
      if (!found) throw Object.assign(new Error('not found'), { code: 404 });
      return found;
    },
    async patch(o: KubernetesObject, _pretty: unknown, dryRun: string) {
      if (opts.failPatch) throw opts.failPatch;
      expect(dryRun).toBe('All');
      patched.push(o);
      return o;
    },
  };
  return { api: api as unknown as ObjectApi, patched };
}

const tracked = { 'sluice.dev/tracking-id': 'default/web' };

describe('diffApplication', () => {
  it('dry-runs each desired object with the tracking Sluice applies, and reports its status', async () => {
    const { api, patched } = fakeApi([]);
    const result = await diffApplication(api, [cm('a', { x: '1' })], owner, []);
    expect(result.resources).toEqual([
      {
        ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prod', name: 'a' },
        status: 'Missing',
        diff: expect.any(String),
      },
    ]);
    expect(patched[0]?.metadata?.annotations?.['sluice.dev/tracking-id']).toBe('default/web');
    expect(patched[0]?.metadata?.labels?.['app.sluice.dev/name']).toBe('web');
    expect(result.resources[0]?.diff).toContain('+    sluice.dev/tracking-id: default/web\n');
  });

  it('reports Synced, OutOfSync and an uninstalled kind as Missing', async () => {
    // Live objects as the sync left them: with the app label and tracking annotation.
    const asApplied = (o: ReturnType<typeof cm>) => ({
      ...o,
      metadata: { ...o.metadata, labels: { 'app.sluice.dev/name': 'web' }, annotations: tracked },
    });
    const { api } = fakeApi([asApplied(cm('same', { x: '1' })), asApplied(cm('changed', { x: '1' }))]);
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'prod' },
    };
    const result = await diffApplication(
      api,
      [cm('same', { x: '1' }), cm('changed', { x: '2' }), widget],
      owner,
      [],
    );
    expect(result.resources.map((r) => [r.ref.name, r.status])).toEqual([
      ['same', 'Synced'],
      ['changed', 'OutOfSync'],
      ['w', 'Missing'],
    ]);
    expect(result.resources[1]?.diff).toContain('-  x: "1"\n+  x: "2"\n');
  });

  it('leaves hooks out', async () => {
    const { api, patched } = fakeApi([]);
    const hook = cm('migrate', {}, { 'sluice.dev/hook': 'PreSync' });
    const result = await diffApplication(api, [hook], owner, []);
    expect(result.resources).toEqual([]);
    expect(patched).toEqual([]);
  });

  it('reports inventory objects still tracked by this app but no longer desired as Extraneous', async () => {
    const { api } = fakeApi([
      cm('old', { x: '1' }, tracked),
      cm('adopted', { x: '1' }, { 'sluice.dev/tracking-id': 'default/other' }),
      cm('kept', { x: '1' }, tracked),
    ]);
    const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prod', name });
    const result = await diffApplication(api, [cm('kept', { x: '1' })], owner, [], {
      inventory: [ref('old'), ref('adopted'), ref('gone'), ref('kept')],
      listExtraneous: async (o) => {
        expect(o).toBe(owner);
        return [ref('old')];
      },
    });
    const extraneous = result.resources.filter((r) => r.status === 'Extraneous');
    expect(extraneous.map((r) => r.ref.name)).toEqual(['old']);
    expect(extraneous[0]?.diff).toContain(
      '--- live ConfigMap prod/old\n+++ desired ConfigMap prod/old\n@@ -1,',
    );
    expect(extraneous[0]?.diff).toContain('-  x: "1"\n');
  });

  it('masks the values of an extraneous Secret', async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'prod', annotations: tracked },
      data: { k: 'c2VjcmV0' },
    };
    const { api } = fakeApi([secret]);
    const ref = { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 's' };
    const result = await diffApplication(api, [], owner, [], { inventory: [ref] });
    expect(result.resources[0]?.status).toBe('Extraneous');
    expect(result.resources[0]?.diff).not.toContain('c2VjcmV0');
  });

  it('bounds the diff of the whole application, keeping every status', async () => {
    const { api } = fakeApi([]);
    const objects = ['a', 'b', 'c'].map((n) => cm(n, { x: '1', y: '2' }));
    const result = await diffApplication(api, objects, owner, [], { maxTotalLines: 20 });
    expect(result.resources.map((r) => r.status)).toEqual(['Missing', 'Missing', 'Missing']);
    const [a, b, c] = result.resources.map((r) => r.diff.trimEnd().split('\n'));
    expect(a).toHaveLength(15);
    expect(b).toHaveLength(6);
    expect(b?.[5]).toBe('… 10 more lines');
    expect(c).toEqual(["… diff left out: the application's diff passed 20 lines"]);
  });

  it('lets other dry-run errors propagate', async () => {
    const { api } = fakeApi([], { failPatch: Object.assign(new Error('invalid'), { code: 422 }) });
    await expect(diffApplication(api, [cm('a', {})], owner, [])).rejects.toThrow('invalid');
  });

  it('rejects malformed rules before reading anything', async () => {
    const { api, patched } = fakeApi([]);
    await expect(
      diffApplication(api, [cm('a', {})], owner, [{ kind: 'ConfigMap', jsonPointers: ['data'] }]),
    ).rejects.toThrow(IgnoreRuleError);
    expect(patched).toEqual([]);
  });
});
