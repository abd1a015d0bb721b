// The determinism lint only protects what it covers: every Sluice module webpack bundles into the
// workflow sandbox (workflows, what they import, the workflow interceptors) must lie under the globs of
// biome.json's workflow override. An activity or plugin file pulled in by a value import fails here,
// naming the module, even if nobody thought to add it to the lint.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { workflowInterceptorsPath } from '../../../worker/metrics/workflow-sinks.js';
import { workflowsPath } from '../../../worker/workflows-path.js';

const root = resolve(import.meta.dirname, '../../..');

interface Override {
  includes: string[];
  linter?: { rules?: { correctness?: { noNodejsModules?: unknown } } };
}

/** The globs of the override that holds the determinism rules (the one banning Node modules). */
function determinismGlobs(): string[] {
  const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8')) as { overrides: Override[] };
  const override = config.overrides.find((o) => o.linter?.rules?.correctness?.noNodejsModules);
  if (!override) throw new Error('biome.json has no override with the determinism rules');
  return override.includes;
}

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

describe('what is bundled into workflows', () => {
  it('lies entirely under the globs the determinism lint covers', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: workflowsPath(),
      workflowInterceptorModules: [workflowInterceptorsPath()],
      logger: silent,
    });
    // Webpack names each module by its path relative to the project: `/***/ "./core/errors.ts"`.
    const modules = [...new Set([...code.matchAll(/\/\*\*\*\/ "\.\/([^"]+)"/g)].map((m) => m[1] as string))];
    const ours = modules.filter((m) => !m.includes('node_modules/'));
    expect(ours).toContain('workflows/index.ts');
    expect(ours.some((m) => m.startsWith('core/'))).toBe(true);
    const covered = picomatch(determinismGlobs());
    expect(ours.filter((m) => !covered(m))).toEqual([]);
  }, 120_000);
});
