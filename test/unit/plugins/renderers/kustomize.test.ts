import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KustomizeRenderer } from '../../../../plugins/renderers/kustomize.js';
import { RenderError, RenderToolError } from '../../../../plugins/renderers/renderer.js';
import { find, fixtures, input, names, rejection, tempRepo } from './helpers.js';

// The real kustomize from the tools cache (scripts/bootstrap-tools.sh), as the worker runs it.
const renderer = new KustomizeRenderer();

function withoutReplicas(objects: KubernetesObject[]): unknown {
  return JSON.parse(JSON.stringify(objects), (k, v) => (k === 'replicas' ? undefined : v));
}

describe('kustomize renderer', () => {
  it('builds a base, and an overlay that changes one field of it', async () => {
    const base = await renderer.render(input('kustomize-app/base'));
    const prod = await renderer.render(input('kustomize-app/overlays/prod'));
    expect(names(prod.objects)).toEqual(['Service/web', 'Deployment/web']);
    expect(prod.sources).toEqual(['kustomize-app/overlays/prod']);
    expect(find(base.objects, 'Deployment', 'web')).toMatchObject({
      metadata: { labels: { 'app.kubernetes.io/part-of': 'shop' } },
      spec: { replicas: 1 },
    });
    expect(find(prod.objects, 'Deployment', 'web')).toMatchObject({ spec: { replicas: 3 } });
    expect(withoutReplicas(prod.objects)).toEqual(withoutReplicas(base.objects));
  });

  it('applies namePrefix, nameSuffix and images without writing to the checkout', async () => {
    const r = await renderer.render(
      input('kustomize-app/overlays/prod', {
        namePrefix: 'eu-',
        nameSuffix: '-v2',
        images: ['web=registry.example/web:2.0.0'],
      }),
    );
    expect(names(r.objects)).toEqual(['Service/eu-web-v2', 'Deployment/eu-web-v2']);
    expect(find(r.objects, 'Deployment', 'eu-web-v2')).toMatchObject({
      spec: { replicas: 3, template: { spec: { containers: [{ image: 'registry.example/web:2.0.0' }] } } },
    });
  });

  it("names the path and carries kustomize's stderr when the build fails", async () => {
    const e = await rejection(renderer.render(input('kustomize-broken')));
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toMatch(
      /^kustomize-broken: kustomize build kustomize-broken failed: Error: accumulating resources/,
    );
    expect(e.message).toContain('kustomize-broken/does-not-exist.yaml');
    expect(e.message).not.toContain(fixtures);
    expect((e as RenderError).toolMessage).toMatch(/^Error: accumulating resources/);
  });

  it('reports an image override kustomize cannot parse (passed after --, never as a flag)', async () => {
    const e = await rejection(renderer.render(input('kustomize-app/base', { images: ['-bad'] })));
    expect(e.message).toMatch(
      /^kustomize-app\/base: kustomize edit set image \(render option images\) failed: Error: invalid format of image/,
    );
  });

  it('refuses options the schema does not allow', async () => {
    const e = await rejection(renderer.render(input('kustomize-app/base', { namespace: 'x' })));
    expect(e.message).toBe(
      'invalid kustomize render options: unknown option "namespace" (kustomize takes images, namePrefix, nameSuffix)',
    );
  });

  it('refuses an app with a symlink out of the repository', async () => {
    const root = tempRepo();
    cpSync(join(fixtures, 'kustomize-app'), join(root, 'app'), { recursive: true });
    symlinkSync(tempRepo(), join(root, 'app/overlays/prod/elsewhere'));
    const e = await rejection(renderer.render(input('app/overlays/prod', {}, root)));
    expect(e.message).toBe('app/overlays/prod/elsewhere: symlink points outside the repository');
  });

  it('says when the binary is missing', async () => {
    const missing = new KustomizeRenderer({ binary: '/nonexistent/kustomize' });
    expect(await rejection(missing.render(input('kustomize-app/base')))).toBeInstanceOf(RenderToolError);
  });
});
