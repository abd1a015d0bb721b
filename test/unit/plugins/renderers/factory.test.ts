import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRenderer, loadRendererPlugins, rendererNames } from '../../../../plugins/renderers/factory.js';
import { PluginLoadError, RenderError, UnknownPluginError } from '../../../../plugins/renderers/renderer.js';
import { fixtures, input, rejection, tempRepo } from './helpers.js';

// Plugin packages are installed the way npm would, into a node_modules folder the loader resolves from:
// the two fixture packages, plus a few generated here for shapes that only need one line.
let from: string;

function install(name: string, source: string | { 'index.js': string }): void {
  const dir = join(from, 'node_modules', name);
  if (typeof source === 'string') cpSync(join(fixtures, source), dir, { recursive: true });
  else {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', main: 'index.js' }));
    writeFileSync(join(dir, 'index.js'), source['index.js']);
  }
}

const renderer = (name: string) => `{ name: '${name}', render: async () => ({ objects: [] }) }`;

beforeAll(() => {
  from = tempRepo();
  install('sluice-renderer-fixture', 'plugin-package');
  install('sluice-renderer-broken', 'plugin-broken');
  install('sluice-renderer-copy', 'plugin-package');
  install('default-export', { 'index.js': `export default { renderers: [${renderer('jsonnet')}] };` });
  install('shadows-helm', { 'index.js': `export const renderers = [${renderer('helm')}];` });
  install('throws', { 'index.js': `throw new Error('no config for me');` });
  install('bad-name', { 'index.js': `export const renderers = [${renderer('My Renderer')}];` });
});

describe('createRenderer', () => {
  it('creates the built-in renderers', () => {
    expect(['directory', 'kustomize', 'helm'].map((n) => createRenderer(n).name)).toEqual([
      'directory',
      'kustomize',
      'helm',
    ]);
  });

  it('rejects an unknown name, listing the known ones and suggesting the closest', () => {
    expect(() => createRenderer('helmm')).toThrow(UnknownPluginError);
    expect(() => createRenderer('helmm')).toThrow(
      'unknown renderer plugin "helmm" (did you mean "helm"?); known renderers: directory, helm, kustomize',
    );
    expect(() => createRenderer('jsonnet')).toThrow(
      'unknown renderer plugin "jsonnet"; known renderers: directory, helm, kustomize',
    );
  });
});

describe('loadRendererPlugins', () => {
  it('registers the renderers a package exports, and checks their output', async () => {
    const loaded = await loadRendererPlugins(['sluice-renderer-fixture'], { resolveFrom: from });
    expect(loaded.map((r) => r.name)).toEqual(['echo', 'nameless']);
    expect(rendererNames()).toEqual(['directory', 'echo', 'helm', 'kustomize', 'nameless']);
    const r = await createRenderer('echo').render(input('anywhere', { depth: 2 }));
    expect(r.objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'shop' },
        data: { path: 'anywhere', options: '{"depth":2}' },
      },
    ]);
    const e = await rejection(createRenderer('nameless').render(input('app')));
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toBe(
      'app: renderer "nameless" (package "sluice-renderer-fixture"): object 1 (ConfigMap) has no metadata.name',
    );
  });

  it('accepts a default export of the same shape, and the same package loaded twice', async () => {
    await loadRendererPlugins(['default-export', 'sluice-renderer-fixture'], { resolveFrom: from });
    expect(createRenderer('jsonnet').name).toBe('jsonnet');
  });

  it('names a package that exports the wrong shape', async () => {
    const e = await rejection(loadRendererPlugins(['sluice-renderer-broken'], { resolveFrom: from }));
    expect(e).toBeInstanceOf(PluginLoadError);
    expect(e.message).toBe(
      'renderer plugin package "sluice-renderer-broken" must export renderers: Renderer[] (or a default export { renderers }); it exports renderer',
    );
    const bad = await rejection(loadRendererPlugins(['bad-name'], { resolveFrom: from }));
    expect(bad.message).toBe(
      `renderer plugin package "bad-name" renderers[0] name "My Renderer" is not a lowercase DNS label (a-z, 0-9, '-')`,
    );
  });

  it('names a package that is not installed or fails while loading', async () => {
    const missing = await rejection(loadRendererPlugins(['sluice-renderer-nope'], { resolveFrom: from }));
    expect(missing).toBeInstanceOf(PluginLoadError);
    expect(missing.message).toMatch(
      /^renderer plugin package "sluice-renderer-nope" could not be loaded: Cannot find package/,
    );
    const throws = await rejection(loadRendererPlugins(['throws'], { resolveFrom: from }));
    expect(throws.message).toBe('renderer plugin package "throws" could not be loaded: no config for me');
  });

  it('refuses a name clash, registering nothing from that call', async () => {
    const before = rendererNames();
    const builtin = await rejection(loadRendererPlugins(['shadows-helm'], { resolveFrom: from }));
    expect(builtin.message).toBe(
      'renderer plugin package "shadows-helm" defines "helm", the name of a built-in renderer',
    );
    const clash = await rejection(loadRendererPlugins(['sluice-renderer-copy'], { resolveFrom: from }));
    expect(clash.message).toBe(
      'renderer plugin package "sluice-renderer-copy" defines "echo", which package "sluice-renderer-fixture" defines too',
    );
    expect(rendererNames()).toEqual(before);
  });
});
