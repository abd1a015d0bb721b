// The product (what the build compiles to dist/ and the image ships, the demo included) imports nothing
// from test/: fixtures the demo needs live in scripts/stack/simulators/. Benchmarks are the one
// exception: they are harnesses over the same stack as the integration tests (their worker and rollout
// helpers), run with tsx and never built.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const skipped = new Set(['node_modules', 'dist', 'test', 'bench']);
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
// Static imports and re-exports, side-effect imports, dynamic import() and require() of a string literal.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;

/** Source files under `dir`, skipping dot folders and the folders that are not the product. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('.') || skipped.has(e.name) ? [] : sources(path);
    return SOURCE.test(e.name) ? [path] : [];
  });
}

/** The import specifiers of `text` (a file at `file`) that resolve into test/, as "file: specifier". */
function testImports(file: string, text: string): string[] {
  const testDir = join(root, 'test') + sep;
  return [...text.matchAll(SPECIFIER)]
    .map((m) => m[2] as string)
    .filter((spec) => spec.startsWith('.') && resolve(dirname(file), spec).startsWith(testDir))
    .map((spec) => `${relative(root, file)}: ${spec}`);
}

describe('product code and test/', () => {
  it('finds an import into test/ in every form, and none that stays outside', () => {
    const demo = join(root, 'cli/demo/run-demo.ts');
    const text = [
      "import { startFakeSlack } from '../../test/fixtures/alert-receivers/slack-api.js';",
      "export * from '../../test/helpers/trust.js';",
      "import '../../test/setup.js';",
      "const m = await import('../../test/fixtures/x.js');",
      "import { a } from '../../scripts/stack/simulators/slack-api.js';",
      "import { b } from 'test/not-relative';",
      "const t = './test/in-a-string';",
    ].join('\n');
    expect(testImports(demo, text)).toEqual([
      'cli/demo/run-demo.ts: ../../test/fixtures/alert-receivers/slack-api.js',
      'cli/demo/run-demo.ts: ../../test/helpers/trust.js',
      'cli/demo/run-demo.ts: ../../test/setup.js',
      'cli/demo/run-demo.ts: ../../test/fixtures/x.js',
    ]);
  });

  it('no file outside test/ (benchmarks aside) imports from test/', () => {
    const files = sources(root);
    expect(files.map((f) => relative(root, f))).toContain(join('cli', 'demo', 'run-demo.ts'));
    const offenders = files.flatMap((f) => testImports(f, readFileSync(f, 'utf8')));
    expect(
      offenders,
      'move what product code needs out of test/ (e.g. to scripts/stack/simulators/)',
    ).toEqual([]);
  });

  it('the build and the image compile the same product folders, neither test/ nor bench/', () => {
    const read = (path: string) =>
      JSON.parse(readFileSync(join(root, path), 'utf8')) as { include: string[] };
    const build = read('tsconfig.build.json').include;
    const image = read('deploy/tsconfig.image.json').include.map((p) => p.replace(/^\.\.\//, ''));
    expect(image).toEqual(build);
    expect(build.filter((p) => /^(test|bench)(\/|$)/.test(p))).toEqual([]);
  });
});
