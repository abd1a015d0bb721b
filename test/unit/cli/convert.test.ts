import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { convertCommand } from '../../../cli/commands/convert.js';

const fixtures = 'test/fixtures/pipeline-files/compat';

describe('sluice convert', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('prints Sluice YAML on stdout and the converter’s notes on stderr', async () => {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
      out += String(c);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
      err += String(c);
      return true;
    });
    await convertCommand().parseAsync(
      [`${fixtures}/argo-rollout.yaml`, `${fixtures}/argo-analysis-templates.yaml`],
      { from: 'user' },
    );
    const docs = parseAllDocuments(out).map((d) => d.toJS() as { apiVersion: string; kind: string });
    expect(docs.map((d) => d.kind).sort()).toEqual(['MetricTemplate', 'MetricTemplate', 'Rollout']);
    expect(docs.every((d) => d.apiVersion === 'sluice.dev/v1alpha1')).toBe(true);
    expect(out).toContain('# from test/fixtures/pipeline-files/compat/argo-rollout.yaml:');
    expect(err).toMatch(/^note: .*argo-rollout\.yaml:\d+:\d+: spec\.strategy\.canary\.trafficRouting/m);
    expect(process.exitCode).toBeUndefined();
  });

  it('lists every document it skipped (Flux kinds without a converter, Argo kinds without an equivalent, anything else) and exits 1 unless allowed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-convert-'));
    const file = join(dir, 'mixed.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: notification.toolkit.fluxcd.io/v1\nkind: Receiver\nmetadata: {name: apps}',
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nmetadata: {name: repo}',
        'apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata: {name: podinfo}',
        'apiVersion: argoproj.io/v1alpha1\nkind: Experiment\nmetadata: {name: clusters}',
        'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}',
      ].join('\n---\n'),
    );
    const run = async (args: string[]) => {
      let err = '';
      vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
        err += String(c);
        return true;
      });
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      process.exitCode = undefined;
      await convertCommand().parseAsync(args, { from: 'user' });
      vi.restoreAllMocks();
      return err;
    };
    const err = await run([file]);
    expect(err.split('\n').filter((l) => l.startsWith('skipped: '))).toEqual([
      `skipped: ${file}:1: Receiver apps (notification.toolkit.fluxcd.io/v1): Flux Receiver: not converted (Sluice converts Flux Kustomization, HelmRelease, GitRepository, HelmRepository, OCIRepository, Alert and Provider)`,
      `skipped: ${file}:5: Bucket repo (source.toolkit.fluxcd.io/v1): Flux Bucket: not converted (Sluice converts Flux Kustomization, HelmRelease, GitRepository, HelmRepository, OCIRepository, Alert and Provider)`,
      `skipped: ${file}:9: ImagePolicy podinfo (image.toolkit.fluxcd.io/v1beta2): Flux ImagePolicy: not converted (Sluice converts Flux Kustomization, HelmRelease, GitRepository, HelmRepository, OCIRepository, Alert and Provider)`,
      `skipped: ${file}:13: Experiment clusters (argoproj.io/v1alpha1): argoproj.io/v1alpha1 Experiment has no Sluice equivalent`,
      `skipped: ${file}:17: Widget w (example.com/v1): apiVersion example.com/v1 is not a Sluice one`,
    ]);
    expect(err).toMatch(/^0 converted, 5 skipped$/m);
    expect(process.exitCode).toBe(1);
    await run([file, '--allow-skipped']);
    expect(process.exitCode).toBeUndefined();
  });

  it('converts Argo CD ApplicationSets (list, git, clusters, matrix) and refuses generators Sluice lacks, naming the field (exit 1)', async () => {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
      out += String(c);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
      err += String(c);
      return true;
    });
    // Not beside the other compat fixtures: this file holds generators convert refuses.
    const file = 'test/fixtures/pipeline-files/argocd-application-sets/sets.yaml';
    await convertCommand().parseAsync([file], { from: 'user' });
    const [set] = parseAllDocuments(out).map((d) => d.toJS() as Record<string, unknown>);
    expect(set).toMatchObject({
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'guestbook', namespace: 'argocd' },
      spec: {
        generators: [
          {
            matrix: {
              generators: [
                { git: { repoURL: 'https://github.com/argoproj/argo-cd.git', revision: 'HEAD' } },
                { clusters: { selector: { matchLabels: { env: 'prod' } } } },
              ],
            },
          },
          { list: { elements: [{ cluster: 'engineering-dev', url: 'https://kubernetes.default.svc' }] } },
        ],
        template: {
          metadata: { name: '{{path.basename}}-{{name}}' },
          spec: { destination: { cluster: '{{name}}', namespace: '{{path.basename}}' } },
        },
        syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
      },
    });
    // Argo CD's "default" project is no project in Sluice, as for an Application.
    expect((set as { spec: { template: { spec: object } } }).spec.template.spec).not.toHaveProperty(
      'project',
    );
    expect(err.split('\n').filter((l) => l.startsWith('error: '))).toEqual([
      `error: ${file}:49:9: spec.generators[0].pullRequest: the pullRequest generator is not supported: Sluice does not list pull requests`,
      `error: ${file}:51:9: spec.generators[1].scmProvider: the scmProvider generator is not supported: Sluice does not list repositories of an SCM provider`,
    ]);
    expect(err).toMatch(/^1 converted, 2 error\(s\)$/m);
    expect(process.exitCode).toBe(1);
  });

  it('converts chart and multi-source Applications (exit 0), and exits 1 naming a helm field it cannot convert', async () => {
    const run = async (args: string[]) => {
      let out = '';
      let err = '';
      vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
        out += String(c);
        return true;
      });
      vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
        err += String(c);
        return true;
      });
      process.exitCode = undefined;
      await convertCommand().parseAsync(args, { from: 'user' });
      vi.restoreAllMocks();
      return { out, err };
    };
    const ok = await run([`${fixtures}/argocd-charts.yaml`]);
    const docs = parseAllDocuments(ok.out).map((d) => d.toJS() as { spec: Record<string, unknown> });
    expect(docs.map((d) => Object.keys(d.spec).filter((k) => k.startsWith('source')))).toEqual([
      ['source'],
      ['source'],
      ['source'],
      ['sources'],
    ]);
    expect(ok.err).toMatch(
      /^note: .*argocd-charts\.yaml:41:14: spec\.source\.repoURL: converted to oci:\/\//m,
    );
    expect(process.exitCode).toBeUndefined();

    const dir = mkdtempSync(join(tmpdir(), 'sluice-convert-'));
    const file = join(dir, 'app.yaml');
    writeFileSync(
      file,
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web}\nspec:\n  destination: {name: in-cluster, namespace: web}\n  source:\n    repoURL: https://charts.example.com\n    chart: web\n    helm:\n      fileParameters: [{name: config, path: config.json}]\n',
    );
    const bad = await run([file]);
    expect(bad.err).toContain(
      `error: ${file}:10:7: spec.source.helm.fileParameters: not converted: Argo CD Application field with no Sluice equivalent`,
    );
    expect(process.exitCode).toBe(1);
  });
});
