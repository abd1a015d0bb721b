import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HelmRenderer } from '../../../../plugins/renderers/helm.js';
import { RenderError } from '../../../../plugins/renderers/renderer.js';
import { find, input, rejection, tempRepo } from './helpers.js';

const renderer = new HelmRenderer();

describe('helm renderer: "$<ref>/…" value files of another source', () => {
  it('reads the value file from the ref source’s checkout', async () => {
    const values = tempRepo({ 'env/prod.yaml': 'image:\n  tag: 9.9.9\n' });
    const r = await renderer.render({
      ...input('helm-chart', { valueFiles: ['$values/env/prod.yaml'] }),
      refRoots: { values },
    });
    expect(find(r.objects, 'Deployment', 'shop')).toMatchObject({
      spec: { template: { spec: { containers: [{ image: 'registry.example/web:9.9.9' }] } } },
    });
    expect(r.sources).toContain('$values/env/prod.yaml');
  });

  it('refuses a symlink out of the ref checkout, "..", and an unknown ref (attacks)', async () => {
    const values = tempRepo({ 'ok.yaml': 'a: 1\n' });
    symlinkSync('/etc/passwd', join(values, 'leak.yaml'));
    const render = (file: string) =>
      rejection(renderer.render({ ...input('helm-chart', { valueFiles: [file] }), refRoots: { values } }));
    const out = await render('$values/leak.yaml');
    expect(out).toBeInstanceOf(RenderError);
    expect(out.message).toMatch(/\$values\/leak\.yaml: .*symlink points outside the repository/);
    expect((await render('$values/../../etc/passwd')).message).toMatch(
      /leaves the checkout of source \$values/,
    );
    expect((await render('$other/ok.yaml')).message).toMatch(/no source has ref "other"/);
  });
});
