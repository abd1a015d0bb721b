import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { convertCommand } from '../../../cli/commands/convert.js';
import { validatePaths } from '../../../cli/commands/validate.js';

// The migration corpus holds refusals too (each named in migration-corpus.test.ts); this repository is the
// files that convert, so that a whole-repository conversion exits 0.
const refused = new Set([
  'alb.yaml',
  'ambassador.yaml',
  'apisix.yaml',
  'appmesh.yaml',
  'bluegreen-manual.yaml',
  'canary-analysis-args.yaml',
  'contour-plugin.yaml',
  'experiment.yaml',
  'header-route.yaml',
  'traefik.yaml',
]);
const corpus = join(mkdtempSync(join(tmpdir(), 'sluice-corpus-')), 'argo-rollouts');
cpSync('test/fixtures/migration/argo-rollouts', corpus, {
  recursive: true,
  filter: (src) => !refused.has(basename(src)),
});

/** Runs `sluice convert` with args; returns stderr and the exit code (a thrown CliError counts as its code). */
async function run(args: string[]): Promise<{ err: string; code: number | undefined; thrown?: Error }> {
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
    err += String(c);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  process.exitCode = undefined;
  try {
    await convertCommand().parseAsync(args, { from: 'user' });
    return { err, code: process.exitCode as number | undefined };
  } catch (e) {
    return { err, code: undefined, thrown: e as Error };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('sluice convert DIR --out DIR2', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('mirrors the tree: converted documents replaced, Services kept, a report beside them, all valid', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sluice-out-')), 'converted');
    const r = await run([corpus, '--out', out]);
    expect(r.thrown).toBeUndefined();
    expect(r.code).toBeUndefined();
    expect(r.err).toMatch(
      /^converted with warnings: .*istio-canary\.yaml:3: Argo Rollouts Rollout rollouts-demo → Rollout rollouts-demo, Deployment rollouts-demo$/m,
    );
    const text = readFileSync(join(out, 'istio-canary.yaml'), 'utf8');
    const kinds = parseAllDocuments(text).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds).toEqual(['Rollout', 'Deployment', 'Service', 'Service', 'VirtualService']);
    const report = readFileSync(join(out, 'sluice-convert-report.md'), 'utf8');
    expect(report).toContain(
      '| istio-canary.yaml | 3 | Argo Rollouts Rollout rollouts-demo | converted with warnings | Rollout rollouts-demo, Deployment rollouts-demo |',
    );
    expect(report).toContain('| istio-canary.yaml | 52 | v1 Service rollouts-demo-canary | kept | — |');
    // What convert wrote is what Sluice reads: every converted object validates.
    const validated = await validatePaths([out]);
    expect(validated.errors).toEqual([]);
    expect(validated.objects.filter((o) => o.kind === 'Rollout')).toHaveLength(15);
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sluice-out-'));
    writeFileSync(join(out, 'smi-canary.yaml'), 'mine\n');
    const r = await run([corpus, '--out', out]);
    expect(r.thrown?.message).toBe(`${join(out, 'smi-canary.yaml')} exists`);
    expect(readFileSync(join(out, 'smi-canary.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(out, 'sluice-convert-report.md'))).toBe(false); // nothing written before the checks pass
    expect((await run([corpus, '--out', out, '--force'])).thrown).toBeUndefined();
    expect(readFileSync(join(out, 'smi-canary.yaml'), 'utf8')).toContain('kind: Rollout');
  });

  it('never writes through a link out of DIR2, even with --force', async () => {
    const base = mkdtempSync(join(tmpdir(), 'sluice-out-'));
    const input = join(base, 'repo');
    mkdirSync(join(input, 'apps'), { recursive: true });
    cpSync(join(corpus, 'smi-canary.yaml'), join(input, 'apps', 'smi-canary.yaml'));
    const outside = join(base, 'outside');
    mkdirSync(outside);
    const out = join(base, 'out');
    mkdirSync(out);
    symlinkSync(outside, join(out, 'apps'));
    const r = await run([input, '--out', out, '--force']);
    expect(r.thrown?.message).toMatch(/^refusing to write .*smi-canary\.yaml: .* leads outside /);
    expect(existsSync(join(outside, 'smi-canary.yaml'))).toBe(false);
  });

  it('exits 1 and lists a refused document in the report', async () => {
    const input = mkdtempSync(join(tmpdir(), 'sluice-in-'));
    writeFileSync(
      join(input, 'rollout.yaml'),
      'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: web}\nspec:\n  template:\n    spec: {containers: [{name: web, image: web:1, ports: [{name: http, containerPort: 80}]}]}\n  strategy:\n    canary:\n      trafficRouting: {plugins: {acme/router: {}}}\n      steps: [{setWeight: 10}]\n',
    );
    const out = join(input, 'sluice');
    const r = await run([input, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^refused: .*rollout\.yaml:1: Argo Rollouts Rollout web$/m);
    const report = readFileSync(join(out, 'sluice-convert-report.md'), 'utf8');
    expect(report).toContain(
      'trafficRouting.plugins["acme/router"]: the traffic router plugin "acme/router" has no Sluice provider',
    );
    expect(readFileSync(join(out, 'rollout.yaml'), 'utf8')).toBe(
      '# sluice convert refused Argo Rollouts Rollout web (line 1): see sluice-convert-report.md\n',
    );
    // DIR2 inside DIR: a second run does not read what is in DIR2.
    cpSync(join(corpus, 'smi-canary.yaml'), join(out, 'extra.yaml'));
    const again = await run([input, '--out', out, '--force']);
    expect(again.err).toMatch(/rollout\.yaml:1/);
    expect(again.err).not.toContain('extra.yaml');
  });
});
