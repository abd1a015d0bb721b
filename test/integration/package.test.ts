// The npm package as a user gets it: `npm pack` of the built tree, the tarball installed into an empty
// directory, and the installed `sluice` run from there (its own node_modules, not the checkout's).
// Needs dist/ (npm test builds first); no stack server is used.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

describe('the packed npm package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-pack-'));
  const installDir = join(dir, 'install');
  const sluice = join(installDir, 'node_modules', '.bin', 'sluice');
  let entries: string[];

  beforeAll(async () => {
    expect(existsSync(join(root, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true);
    // --ignore-scripts: pack the tree as built (prepare would rebuild it).
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: root,
    });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    if (!info) throw new Error(`npm pack printed no result: ${packed.stdout}`);
    entries = info.files.map((f) => f.path);
    // An empty project to install into, as a user's would be.
    mkdirSync(installDir);
    writeFileSync(
      join(installDir, 'package.json'),
      JSON.stringify({ name: 'sluice-pack-probe', version: '0.0.0', private: true }),
    );
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', join(dir, info.filename)],
      { cwd: installDir, timeout: 240_000 },
    );
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carries bin/, dist/ (schemas JSON and the workflow sources the worker bundles) and LICENSE', () => {
    for (const path of [
      'bin/sluice.js',
      'dist/cli/main.js',
      'dist/schemas/rollout.json',
      'dist/schemas/alert-provider.json',
      'dist/workflows/index.js',
      'dist/worker/metrics/workflow-interceptors.js',
      'dist/scripts/stack/git-http-server.js',
      'scripts/bootstrap-tools.sh',
      'scripts/versions.env',
      'LICENSE',
      'package.json',
    ]) {
      expect(entries, path).toContain(path);
    }
  });

  it('carries no tests, benchmarks, CI scripts, TypeScript sources or docs images', () => {
    const unwanted = entries.filter(
      (p) =>
        /^(test|bench|\.ci|docs|deploy|node_modules)\//.test(p) ||
        (p.endsWith('.ts') && !p.endsWith('.d.ts')) ||
        /\.(png|jpe?g|gif|svg)$/.test(p),
    );
    expect(unwanted).toEqual([]);
  });

  it('installs, and its `sluice --version` is package.json version', async () => {
    const installed = JSON.parse(
      readFileSync(join(installDir, 'node_modules', pkg.name, 'package.json'), 'utf8'),
    ) as { version: string; private?: boolean };
    expect(installed.version).toBe(pkg.version);
    const { stdout } = await run(sluice, ['--version'], { cwd: installDir });
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('validates pipeline files with the installed schemas, and rejects a bad one', async () => {
    const files = join(dir, 'pipelines');
    cpSync(join(root, 'test/fixtures/pipeline-files/valid'), files, { recursive: true });
    const ok = await run(sluice, ['validate', '--output', 'json', files], { cwd: installDir });
    const report = JSON.parse(ok.stdout) as {
      valid: boolean;
      objects: { kind: string }[];
      errors: unknown[];
    };
    expect(report.errors).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.objects.map((o) => o.kind).sort()).toEqual(
      [
        'AlertProvider',
        'Application',
        'MetricTemplate',
        'MetricTemplate',
        'Pipeline',
        'Project',
        'Rollout',
      ].sort(),
    );
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: sluice.dev/v1alpha1\nkind: AlertProvider\nmetadata: {name: x}\nspec: {type: pager}\n',
    );
    await expect(run(sluice, ['validate', bad], { cwd: installDir })).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('spec.type: must be one of'),
    });
  });
});
