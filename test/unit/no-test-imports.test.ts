// The product (what the build compiles to dist/ and the image ships, the demo included) imports nothing
// from test/: fixtures the demo needs live in scripts/stack/simulators/. Benchmarks are the one
// exception: they are harnesses over the same stack as the integration tests (their worker and rollout
// helpers), run with tsx and never built. The rule itself is scripts/check-imports.ts (npm run lint).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports, checkProductFile, PRODUCT_FOLDERS } from '../../scripts/check-imports.js';

const root = join(import.meta.dirname, '../..');

/** The offending specifiers of `text` as if it were the file at `file`, as "file:line: specifier". */
function testImports(file: string, text: string): string[] {
  return checkProductFile(root, file, text).map(
    (p) => `${p.file}:${p.line}: ${p.message.split(': ').at(-1)}`,
  );
}

describe('product code and test/', () => {
  it('finds an import into test/ in every form, and none that stays outside', () => {
    const demo = join(root, 'cli/demo/run-demo.ts');
    const text = [
      "import { startFakeSlack } from '../../test/fixtures/alert-receivers/slack-api.js';",
      "export * from '../../test/helpers/trust.js';",
      "import '../../test/setup.js';",
      "const m = await import('../../test/fixtures/x.js');",
      "const r = require('../../bench/harness.js');",
      "import { a } from '../../scripts/stack/simulators/slack-api.js';",
      "import { b } from 'test/not-relative';",
      "const t = './test/in-a-string';",
    ].join('\n');
    expect(testImports(demo, text)).toEqual([
      'cli/demo/run-demo.ts:1: ../../test/fixtures/alert-receivers/slack-api.js',
      'cli/demo/run-demo.ts:2: ../../test/helpers/trust.js',
      'cli/demo/run-demo.ts:3: ../../test/setup.js',
      'cli/demo/run-demo.ts:4: ../../test/fixtures/x.js',
      'cli/demo/run-demo.ts:5: ../../bench/harness.js',
    ]);
  });

  it('no product file imports from test/ or bench/ (scripts/check-imports.ts, run by npm run lint)', () => {
    expect(PRODUCT_FOLDERS.flatMap((f) => readdirSync(join(root, f)))).toContain('demo');
    const offenders = checkImports(root).filter((p) => p.message.startsWith('product code'));
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
    // scripts/check-imports.ts checks exactly what is built, and the package's bin/.
    expect(PRODUCT_FOLDERS).toEqual([...build, 'bin']);
    expect(build.filter((p) => /^(test|bench)(\/|$)/.test(p))).toEqual([]);
  });
});
