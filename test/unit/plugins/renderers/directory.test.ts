import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryRenderer } from '../../../../plugins/renderers/directory.js';
import { RenderError } from '../../../../plugins/renderers/renderer.js';
import { find, input, names, rejection, tempRepo } from './helpers.js';

const renderer = new DirectoryRenderer();

describe('directory renderer', () => {
  it('reads the top-level manifests only by default, in file then document order, flattening Lists', async () => {
    const r = await renderer.render(input('directory-app'));
    expect(names(r.objects)).toEqual([
      'ConfigMap/settings-a',
      'ConfigMap/settings-b',
      'ServiceAccount/web',
      'Secret/web-files',
      'Namespace/shop',
      'ResourceQuota/shop-quota',
    ]);
    expect(r.sources).toEqual([
      'directory-app/list.yaml',
      'directory-app/multi.yaml',
      'directory-app/namespace.yaml',
      'directory-app/quota.json',
    ]);
  });

  it('descends into nested folders with recurse, skipping hidden folders and non-manifest files', async () => {
    const r = await renderer.render(input('directory-app', { recurse: true }));
    expect(r.sources).toEqual([
      'directory-app/list.yaml',
      'directory-app/multi.yaml',
      'directory-app/namespace.yaml',
      'directory-app/nested/deeper/debug.yaml',
      'directory-app/nested/deeper/service.yaml',
      'directory-app/nested/deployment.yml',
      'directory-app/quota.json',
    ]);
    expect(names(r.objects)).toContain('Deployment/web');
    expect(names(r.objects)).toContain('Service/web');
  });

  it('matches include and exclude globs against the path below the app; a glob without "/" matches file names', async () => {
    const onlyYaml = await renderer.render(
      input('directory-app', { recurse: true, include: '*.yaml', exclude: 'nested/deeper/debug.yaml' }),
    );
    expect(onlyYaml.sources).toEqual([
      'directory-app/list.yaml',
      'directory-app/multi.yaml',
      'directory-app/namespace.yaml',
      'directory-app/nested/deeper/service.yaml',
    ]);
    const nested = await renderer.render(
      input('directory-app', { recurse: true, include: 'nested/**', exclude: 'debug.*' }),
    );
    expect(nested.sources).toEqual([
      'directory-app/nested/deeper/service.yaml',
      'directory-app/nested/deployment.yml',
    ]);
  });

  it('reads YAML as Kubernetes does: 0644 is an octal number, quoted strings stay strings', async () => {
    const r = await renderer.render(input('directory-app', { recurse: true }));
    expect(find(r.objects, 'Deployment', 'web')).toMatchObject({
      spec: { template: { spec: { volumes: [{ secret: { defaultMode: 0o644 } }] } } },
    });
    expect(find(r.objects, 'Secret', 'web-files')).toMatchObject({ stringData: { mode: '0644' } });
  });

  it('names the file and line of a YAML syntax error', async () => {
    const e = await rejection(renderer.render(input('directory-bad-yaml')));
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toMatch(/^directory-bad-yaml\/broken\.yaml:7: YAML syntax error: Flow sequence/);
    expect(e).toMatchObject({ name: 'RenderError', file: 'directory-bad-yaml/broken.yaml', line: 7 });
  });

  it('names the file and line of a document that is not a complete object', async () => {
    const root = tempRepo({
      'app/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\n',
      'app/list.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, metadata: {name: b}}\n',
    });
    const e = await rejection(renderer.render(input('app', { include: 'cm.yaml' }, root)));
    expect(e.message).toBe('app/cm.yaml:5: document 2 (ConfigMap) has no metadata.name');
    const list = await rejection(renderer.render(input('app', { include: 'list.yaml' }, root)));
    expect(list.message).toBe('app/list.yaml:1: items[0] has no kind');
  });

  it('renders an empty directory as no objects', async () => {
    const root = tempRepo();
    mkdirSync(join(root, 'empty'));
    expect(await renderer.render(input('empty', {}, root))).toEqual({ objects: [], sources: [] });
  });

  it('follows symlinks inside the repository and refuses those that leave it', async () => {
    const outside = tempRepo({ 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: stolen}\n' });
    const root = tempRepo({
      'shared/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\n',
    });
    mkdirSync(join(root, 'app'));
    symlinkSync('../shared/cm.yaml', join(root, 'app/cm.yaml'));
    symlinkSync('..', join(root, 'app/loop'));
    const ok = await renderer.render(input('app', { recurse: true }, root));
    expect(names(ok.objects)).toEqual(['ConfigMap/shared', 'ConfigMap/shared']);

    symlinkSync(join(outside, 'secret.yaml'), join(root, 'app/leak.yaml'));
    const e = await rejection(renderer.render(input('app', {}, root)));
    expect(e.message).toBe('app/leak.yaml: symlink points outside the repository');

    symlinkSync(outside, join(root, 'elsewhere'));
    expect((await rejection(renderer.render(input('elsewhere', {}, root)))).message).toBe(
      'elsewhere: symlink points outside the repository',
    );
    expect((await rejection(renderer.render(input('../x', {}, root)))).message).toBe(
      '../x: path leaves the repository',
    );
  });

  it('refuses unknown options and a missing path', async () => {
    const e = await rejection(renderer.render(input('directory-app', { recursive: true })));
    expect(e.message).toBe(
      'invalid directory render options: unknown option "recursive" (directory takes recurse, include, exclude)',
    );
    expect((await rejection(renderer.render(input('nope')))).message).toBe(
      'nope: no such directory in the repository',
    );
  });

  it('stops at the byte limit', async () => {
    const root = tempRepo();
    mkdirSync(join(root, 'big'));
    writeFileSync(join(root, 'big/a.yaml'), `# ${'x'.repeat(200)}\n`);
    const e = await rejection(new DirectoryRenderer({ maxOutputBytes: 100 }).render(input('big', {}, root)));
    expect(e.message).toBe('big/a.yaml: the manifests under big add up to more than 100 bytes');
  });
});
