import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelineFiles } from '../../../schemas/loader/index.js';

const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');

/** The YAML block that follows a `<!-- readme-example: NAME … -->` marker in the README. */
function exampleBlock(name: string): string {
  const marker = readme.indexOf(`<!-- readme-example: ${name}`);
  expect(marker, `README marker for ${name}`).toBeGreaterThan(-1);
  const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(marker));
  expect(block, `a yaml block after the ${name} marker`).not.toBeNull();
  return (block as RegExpExecArray)[1] as string;
}

// "Run it on your cluster" shows a complete set of pipeline files; what a user copies must load as written.
describe('README example', () => {
  it('the pipeline files of "Run it on your cluster" load with no errors or warnings, every kind present', () => {
    const result = loadPipelineFiles([{ path: 'README.md', content: exampleBlock('pipeline files') }]);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'AlertProvider/shop-slack',
      'Application/podinfo',
      'MetricTemplate/istio-error-rate',
      'Rollout/podinfo',
    ]);
  });
});
