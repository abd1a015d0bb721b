import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeSetValue, HelmRenderer } from '../../../../plugins/renderers/helm.js';
import { RenderError } from '../../../../plugins/renderers/renderer.js';
import { find, fixtures, input, names, rejection, tempRepo } from './helpers.js';

// The real helm from the tools cache (scripts/bootstrap-tools.sh), as the worker runs it.
const renderer = new HelmRenderer();

describe('helm renderer', () => {
  it('templates the chart as the app, into the destination namespace, with its CRDs', async () => {
    const r = await renderer.render(input('helm-chart'));
    expect(names(r.objects)).toEqual([
      'CustomResourceDefinition/widgets.example.com',
      'ConfigMap/shop-settings',
      'Deployment/shop',
    ]);
    expect(find(r.objects, 'Deployment', 'shop')).toMatchObject({
      metadata: { namespace: 'prod' },
      spec: { replicas: 1, template: { spec: { containers: [{ image: 'registry.example/web:1.0.0' }] } } },
    });
    expect(r.sources).toEqual(['helm-chart/Chart.yaml']);
  });

  it('applies valueFiles, then values, then parameters; releaseName and skipCrds', async () => {
    const r = await renderer.render(
      input('helm-chart', {
        releaseName: 'web',
        valueFiles: ['environments/prod.yaml'],
        values: { greeting: 'from values', image: { tag: '2.0.0' } },
        parameters: [{ name: 'greeting', value: 'from parameters, with a comma' }],
        skipCrds: true,
      }),
    );
    expect(names(r.objects)).toEqual(['ConfigMap/web-settings', 'Deployment/web']);
    expect(find(r.objects, 'Deployment', 'web')).toMatchObject({
      spec: { replicas: 3, template: { spec: { containers: [{ image: 'registry.example/web:2.0.0' }] } } },
    });
    expect(find(r.objects, 'ConfigMap', 'web-settings')).toMatchObject({
      data: { greeting: 'from parameters, with a comma' },
    });
    expect(r.sources).toEqual(['helm-chart/Chart.yaml', 'helm-chart/environments/prod.yaml']);
  });

  it("names the chart and carries helm's message when a template fails", async () => {
    const e = await rejection(renderer.render(input('helm-broken')));
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toBe(
      'helm-broken: helm template failed: Error: parse error at (broken/templates/configmap.yaml:6): function "noSuchFunction" not defined',
    );
  });

  it('refuses a chart whose dependencies are not vendored, saying how to vendor them', async () => {
    const e = await rejection(renderer.render(input('helm-missing-dep')));
    expect(e.message).toMatch(
      /^helm-missing-dep: chart dependencies are not vendored in charts\/; Sluice renders local charts only and never downloads them: run `helm dependency build` and commit charts\//,
    );
    expect(e.message).toContain('missing in charts/ directory: redis');
  });

  it('refuses values files that are URLs or outside the repository, and a path without Chart.yaml', async () => {
    const url = await rejection(
      renderer.render(input('helm-chart', { valueFiles: ['https://x.example/v.yaml'] })),
    );
    expect(url.message).toBe(
      'helm-chart: valueFiles entry "https://x.example/v.yaml" is a URL; values files must be in the repository',
    );
    const up = await rejection(
      renderer.render(input('helm-chart', { valueFiles: ['../../../../etc/passwd'] })),
    );
    expect(up.message).toBe('../../../etc/passwd: path leaves the repository');
    const notChart = await rejection(renderer.render(input('directory-app')));
    expect(notChart.message).toBe('directory-app: is not a Helm chart: it has no Chart.yaml');
  });

  it('refuses a chart with a symlink out of the repository (.Files.Get would read it)', async () => {
    const root = tempRepo();
    cpSync(join(fixtures, 'helm-chart'), join(root, 'chart'), { recursive: true });
    symlinkSync('/etc/hostname', join(root, 'chart/hostname'));
    const e = await rejection(renderer.render(input('chart', {}, root)));
    expect(e.message).toBe('chart/hostname: symlink points outside the repository');
  });
});

describe('escapeSetValue', () => {
  it('escapes commas once, and leaves {a,b} lists alone', () => {
    expect(escapeSetValue('a,b')).toBe('a\\,b');
    expect(escapeSetValue('a\\,b')).toBe('a\\,b');
    expect(escapeSetValue('{a,b}')).toBe('{a,b}');
  });
});
