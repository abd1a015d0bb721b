// The layer rules of DESIGN.md ("Import direction") are lint errors: a file that breaks one fails
// `npm run lint`. Each case lints a probe file with the project's own biome.json in a scratch copy, so
// the repository is never touched; the workflow rule Biome cannot express is scripts/check-imports.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImports, checkWorkflowFile } from '../../../scripts/check-imports.js';

const root = resolve(import.meta.dirname, '../../..');
const biome = join(root, 'node_modules', '.bin', 'biome');
const scratch = mkdtempSync(join(tmpdir(), 'sluice-imports-'));
const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
config.$schema = undefined;
config.vcs = { enabled: false };
writeFileSync(join(scratch, 'biome.json'), JSON.stringify(config));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Lints one probe file written at `path` in the scratch copy; answers the exit status and messages. */
function lintProbe(path: string, text: string): { status: number | null; messages: string[] } {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), text);
  const r = spawnSync(biome, ['lint', '--reporter=json', path], { cwd: scratch, encoding: 'utf8' });
  const report = JSON.parse(r.stdout) as {
    diagnostics: { category: string; message: string | { content: string }[] }[];
  };
  const plain = (m: string | { content: string }[]) =>
    typeof m === 'string' ? m : m.map((p) => p.content).join('');
  return {
    status: r.status,
    messages: report.diagnostics
      .filter((d) => d.category === 'lint/style/noRestrictedImports')
      .map((d) => plain(d.message)),
  };
}

describe('layer import rules', () => {
  it('fail when core/ imports activities/, plugins/ or the loader', () => {
    const r = lintProbe(
      'core/events/probe.ts',
      [
        "import { SecretNotFoundError } from '../../activities/errors.js';",
        "import type { TrafficProvider } from '../../plugins/traffic/types.js';",
        "import { loadPipelineFiles } from '../../schemas/loader/load.js';",
        "import type { Rollout } from '../../schemas/types.generated.js';",
        'export const probe = [SecretNotFoundError, loadPipelineFiles];',
        'export type Probe = [TrafficProvider, Rollout];',
        '',
      ].join('\n'),
    );
    expect(r.status).not.toBe(0);
    // Three imports break the rule; the generated schema types are allowed.
    expect(r.messages).toHaveLength(3);
    expect(r.messages[0]).toMatch(/core\/ imports no layer of Sluice's/);
  });

  it('fail when schemas/ imports activities/ or plugins/', () => {
    const r = lintProbe(
      'schemas/loader/probe.ts',
      [
        "import { builtinQuery } from '../../activities/analysis/builtins.js';",
        "import { stepPlugin } from '../../plugins/steps/factory.js';",
        "import { trafficCapabilities } from '../../core/traffic/providers.js';",
        'export const probe = [builtinQuery, stepPlugin, trafficCapabilities];',
        '',
      ].join('\n'),
    );
    expect(r.status).not.toBe(0);
    expect(r.messages).toEqual([
      expect.stringMatching(/schemas\/ must not import activities\/ or plugins\//),
      expect.stringMatching(/schemas\/ must not import activities\/ or plugins\//),
    ]);
  });

  it('fail when a plugin imports activities/ beyond the Kubernetes clients', () => {
    const r = lintProbe(
      'plugins/alerts/probe.ts',
      [
        "import { signBody } from '../../activities/webhooks/call-webhook.js';",
        "import type { KubeClients } from '../../activities/kube/client.js';",
        'export const probe = signBody;',
        'export type Probe = KubeClients;',
        '',
      ].join('\n'),
    );
    expect(r.status).not.toBe(0);
    expect(r.messages).toHaveLength(1);
  });

  it('fail when workflows/ imports activities/ or plugins/ code rather than types', () => {
    const file = join(root, 'workflows', 'probe.ts');
    const problems = checkWorkflowFile(
      root,
      file,
      [
        "import { nonRetryableErrorTypes } from '../activities/errors.js';",
        "import type { SluiceActivities } from '../activities/index.js';",
        "export { createTrafficProvider } from '../plugins/traffic/factory.js';",
        "export type { ThreadRef } from '../plugins/alerts/provider.js';",
        "import { refKey } from '../core/resource-ref.js';",
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([
      {
        file: 'workflows/probe.ts',
        line: 1,
        message: 'workflows/ may import activities/ only as types (import type …): ../activities/errors.js',
      },
      {
        file: 'workflows/probe.ts',
        line: 3,
        message:
          'workflows/ may import plugins/ only as types (import type …): ../plugins/traffic/factory.js',
      },
    ]);
  });

  it('pass on the project’s own code', () => {
    expect(checkImports(root)).toEqual([]);
    const r = spawnSync(biome, ['lint', 'core', 'schemas', 'plugins', 'workflows'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
