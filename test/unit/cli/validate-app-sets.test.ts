import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateCommand } from '../../../cli/commands/validate.js';

describe('sluice validate with ApplicationSets', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('lists each set with the Applications it generates from the checkout (symlinked folders left out) and --cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-validate-sets-'));
    for (const d of ['web', 'api', 'db']) {
      mkdirSync(join(dir, 'apps', d), { recursive: true });
      writeFileSync(join(dir, 'apps', d, 'k.txt'), 'x');
    }
    symlinkSync('/etc', join(dir, 'apps', 'evil'));
    writeFileSync(
      join(dir, 'sets.yaml'),
      `apiVersion: sluice.dev/v1alpha1
kind: ApplicationSet
metadata: {name: apps}
spec:
  generators:
    - matrix:
        generators:
          - git: {directories: [{path: "apps/*"}, {path: apps/db, exclude: true}]}
          - clusters: {selector: {matchLabels: {env: prod}}}
  template:
    metadata: {name: "{{path.basename}}-{{name}}"}
    spec:
      source: {repoURL: "https://git.example/x.git", path: "{{path}}"}
      destination: {namespace: "{{path.basename}}", cluster: "{{name}}"}
`,
    );
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((l: string) => lines.push(l));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await validateCommand().parseAsync([dir, '--cluster', 'prod-eu,env=prod', '--cluster', 'dev,env=dev'], {
      from: 'user',
    });
    expect(process.exitCode).toBeUndefined();
    expect(lines).toEqual([
      '2 Applications',
      '1 ApplicationSet',
      `ApplicationSet apps (${join(dir, 'sets.yaml')}:1) generates 2 Applications: api-prod-eu, web-prod-eu`,
    ]);
  });
});
