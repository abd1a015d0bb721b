// `sluice validate`, run in-process through its commander command: exit codes and output.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateCommand } from '../../../cli/commands/validate.js';
import { CliError } from '../../../cli/errors.js';

async function sluiceValidate(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(`${s}\n`));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
  process.exitCode = undefined;
  let code: number;
  try {
    await validateCommand().parseAsync(args, { from: 'user' });
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code = e instanceof CliError ? e.exitCode : -1;
    err.push(String((e as Error).message));
  } finally {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('sluice validate', () => {
  it('takes the default traffic provider from --provider or a worker config (--config)', async () => {
    const file = 'test/fixtures/flagger-canaries/no-provider.yaml';
    const bare = await sluiceValidate(file);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain('provider "kubernetes" (the default)');
    expect(await sluiceValidate(file, '--provider', 'istio')).toMatchObject({
      code: 0,
      stdout: '1 Rollout\n',
    });
    const dir = mkdtempSync(join(tmpdir(), 'sluice-validate-'));
    const config = join(dir, 'worker.yaml');
    writeFileSync(config, 'rollouts:\n  defaultProvider: istio\n');
    expect(await sluiceValidate(file, '--config', config)).toMatchObject({ code: 0 });
    // --provider wins over the config file.
    expect((await sluiceValidate(file, '--config', config, '--provider', 'linkerd')).code).toBe(1);
    writeFileSync(config, 'rollouts:\n  defaultProvider: consul\n');
    expect((await sluiceValidate(file, '--config', config)).code).toBe(2);
    rmSync(dir, { recursive: true });
  });

  it('exits 0 on the valid set and prints a line per kind', async () => {
    const r = await sluiceValidate('test/fixtures/pipeline-files/valid');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '1 Application\n1 Rollout\n2 MetricTemplates\n1 AlertProvider\n1 Project\n1 Pipeline\n',
    );
  });

  it('exits 0 on the Flagger and Argo files, converted', async () => {
    const r = await sluiceValidate('test/fixtures/pipeline-files/compat');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('5 Applications\n2 Rollouts\n3 MetricTemplates\n1 AlertProvider\n1 Project\n');
    expect(r.stderr).toContain('warning: test/fixtures/pipeline-files/compat/argo-rollout.yaml:23:11:');
  });

  it('exits 1 with every error on its own line', async () => {
    const r = await sluiceValidate('test/fixtures/pipeline-files/valid/rollout.yaml');
    expect(r.code).toBe(1);
    const file = 'test/fixtures/pipeline-files/valid/rollout.yaml';
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `${file}:33:17: spec.analysis.metrics[1].templateRef.name: MetricTemplate "latency" not found in namespace "shop"`,
      `${file}:41:17: spec.analysis.metrics[2].templateRef.name: MetricTemplate "error-ratio" not found in namespace "monitoring"`,
      `${file}:61:17: spec.analysis.alerts[0].providerRef.name: AlertProvider "storefront-slack" not found in namespace "shop"`,
    ]);
    expect(r.stderr).toContain('3 error(s)');
  });

  it('prints the report as JSON with -o json', async () => {
    const r = await sluiceValidate(
      '-o',
      'json',
      'test/fixtures/pipeline-files/valid/project.yaml',
      'test/fixtures/pipeline-files/valid/alert-provider.yaml',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      valid: true,
      objects: [
        {
          kind: 'Project',
          name: 'storefront',
          file: 'test/fixtures/pipeline-files/valid/project.yaml',
          line: 2,
        },
        {
          kind: 'AlertProvider',
          name: 'storefront-slack',
          file: 'test/fixtures/pipeline-files/valid/alert-provider.yaml',
          line: 2,
        },
      ],
      errors: [],
      warnings: [],
      ignored: [],
    });
  });

  it('exits 2 for a path that does not exist', async () => {
    const r = await sluiceValidate('no/such/dir');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/dir: no such file or directory');
  });
});
