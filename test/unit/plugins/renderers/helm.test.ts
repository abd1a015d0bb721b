import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HelmRenderer } from '../../../../plugins/renderers/helm.js';
import { escapeSetValue } from '../../../../plugins/renderers/helm-args.js';
import { RenderError } from '../../../../plugins/renderers/renderer.js';
import { findTool } from '../../../../plugins/renderers/tool-path.js';
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

  it('refuses a chart whose dependencies are not vendored when the render cannot fetch them, saying how to vendor them', async () => {
    const e = await rejection(renderer.render(input('helm-missing-dep')));
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toBe(
      'helm-missing-dep/Chart.yaml: dependency "redis" (https://charts.example.com) is not vendored in charts/ and this render does not fetch dependencies (the worker does): run `helm dependency build` and commit charts/',
    );
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

describe('helm renderer: values from pipeline files never become flags', () => {
  /** A post-renderer that would leave a marker file if helm ever ran it. */
  function postRenderer(): { script: string; marker: string } {
    const dir = tempRepo();
    const marker = join(dir, 'post-renderer-ran');
    const script = join(dir, 'post-render.sh');
    writeFileSync(script, `#!/bin/sh\ntouch ${marker}\ncat\n`);
    chmodSync(script, 0o755);
    return { script, marker };
  }

  it('refuses a releaseName that is a flag, and runs no post-renderer', async () => {
    const { script, marker } = postRenderer();
    const e = await rejection(
      renderer.render(input('helm-chart', { releaseName: `--post-renderer=${script}` })),
    );
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toContain(
      `releaseName must be a Helm release name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (got ${JSON.stringify(`--post-renderer=${script}`)})`,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a releaseName that would copy a worker file into a manifest', async () => {
    const e = await rejection(
      renderer.render(input('helm-chart', { releaseName: '--set-file=leak=/etc/hostname' })),
    );
    expect(e.message).toMatch(/^invalid helm render options: releaseName must be a Helm release name/);
  });

  it('checks the default release name (the app name) and the namespace when called from code', async () => {
    const { script, marker } = postRenderer();
    const byName = await rejection(
      renderer.render({ ...input('helm-chart'), appName: `--post-renderer=${script}` }),
    );
    expect(byName.message).toMatch(
      /^helm-chart: the Application's name \(the default release name\) "--post-renderer=.*" is not a Helm release name/,
    );
    const byNamespace = await rejection(
      renderer.render({ ...input('helm-chart'), namespace: `--post-renderer=${script}` }),
    );
    expect(byNamespace.message).toMatch(
      /^helm-chart: namespace "--post-renderer=.*" is not a Kubernetes namespace name$/,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('keeps a parameter value that looks like a flag a value; refuses a parameter name that is one', async () => {
    const { script, marker } = postRenderer();
    const r = await renderer.render(
      input('helm-chart', { parameters: [{ name: 'greeting', value: `--post-renderer=${script}` }] }),
    );
    expect(find(r.objects, 'ConfigMap', 'shop-settings')).toMatchObject({
      data: { greeting: `--post-renderer=${script}` },
    });
    const e = await rejection(
      renderer.render(
        input('helm-chart', { parameters: [{ name: `--post-renderer=${script}`, value: 'x' }] }),
      ),
    );
    expect(e.message).toMatch(/^invalid helm render options: parameters\.0\.name must be a value path/);
    expect(existsSync(marker)).toBe(false);
  });

  it("helm reads what follows -- as the release name and chart, never as flags (the real helm's parser)", () => {
    const { script, marker } = postRenderer();
    const chart = join(fixtures, 'helm-chart');
    const ok = execFileSync(findTool('helm'), ['template', '--namespace=prod', '--', 'web', chart], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: tempRepo() },
    });
    expect(ok).toContain('name: web-settings');
    let failure = '';
    try {
      execFileSync(findTool('helm'), ['template', '--', `--post-renderer=${script}`, chart], {
        encoding: 'utf8',
        stdio: 'pipe',
        env: { PATH: process.env.PATH, HOME: tempRepo() },
      });
    } catch (e) {
      failure = String((e as { stderr?: string }).stderr);
    }
    expect(failure).toMatch(/invalid release name/);
    expect(existsSync(marker)).toBe(false);
  });

  it("renders Helm's legitimate names: dots, and the longest it allows", async () => {
    const dotted = await renderer.render(input('helm-chart', { releaseName: 'web.v2', skipCrds: true }));
    expect(names(dotted.objects)).toEqual(['ConfigMap/web.v2-settings', 'Deployment/web.v2']);
    const longest = 'a'.repeat(53);
    const long = await renderer.render(input('helm-chart', { releaseName: longest, skipCrds: true }));
    expect(names(long.objects)).toEqual([`ConfigMap/${longest}-settings`, `Deployment/${longest}`]);
  });
});

describe('escapeSetValue', () => {
  it('escapes commas once, and leaves {a,b} lists alone', () => {
    expect(escapeSetValue('a,b')).toBe('a\\,b');
    expect(escapeSetValue('a\\,b')).toBe('a\\,b');
    expect(escapeSetValue('{a,b}')).toBe('{a,b}');
  });
});
