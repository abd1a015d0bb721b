import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const biome = join(root, 'node_modules', '.bin', 'biome');

function lint(cwd: string, target: string): { status: number | null; categories: string[] } {
  const r = spawnSync(biome, ['lint', '--reporter=json', target], { cwd, encoding: 'utf8' });
  const report = JSON.parse(r.stdout) as { diagnostics: { category: string }[] };
  return { status: r.status, categories: report.diagnostics.map((d) => d.category) };
}

describe('determinism rules for workflows/', () => {
  it('reject Node built-ins, floating promises and Date in a workflow file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-lint-'));
    const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
    config.$schema = undefined;
    config.vcs = { enabled: false };
    writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
    // The floating-promise rule needs @temporalio/workflow's types to know sleep() returns a Promise;
    // Biome does not follow a symlinked node_modules, so copy the one package.
    const pkg = join('node_modules', '@temporalio', 'workflow');
    cpSync(join(root, pkg), join(dir, pkg), { recursive: true, dereference: true });
    mkdirSync(join(dir, 'workflows'));
    copyFileSync(join(root, 'test/fixtures/bad-workflow.ts.txt'), join(dir, 'workflows/bad.ts'));
    const { status, categories } = lint(dir, 'workflows/bad.ts');
    expect(status).not.toBe(0);
    expect(categories).toEqual(
      expect.arrayContaining([
        'lint/correctness/noNodejsModules',
        'lint/nursery/noFloatingPromises',
        'lint/style/noRestrictedGlobals',
      ]),
    );
  });

  it('pass on the project’s own workflows', () => {
    expect(lint(root, 'workflows').status).toBe(0);
  });
});
