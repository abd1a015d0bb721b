// `npm run record:histories`: re-records the replay fixtures on purpose. Runs every workflow and integration
// test file that calls recordHistory() with SLUICE_RECORD_HISTORIES=1 (on the running dev stack), then lists what
// changed under test/fixtures/histories/. Commit the new histories only when the change they capture is
// meant to break running workflows (docs/upgrading.md); otherwise the old ones must keep replaying.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '../..');
/** The test files of a vitest project (its folder under test/) that call recordHistory(). */
const recording = (project: 'workflow' | 'integration') => {
  const dir = join(root, 'test', project);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && readFileSync(join(dir, f), 'utf8').includes('recordHistory('))
    .sort()
    .map((f) => relative(root, join(dir, f)));
};
let status = 0;
// The workflow tests record histories run on fake activities (their own Temporal server); the integration
// tests, real runs on the dev stack.
for (const project of ['workflow', 'integration'] as const) {
  const files = recording(project);
  if (files.length === 0) continue;
  console.log(`recording histories from ${files.join(', ')}`);
  const run = spawnSync('npx', ['vitest', 'run', '--project', project, ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SLUICE_RECORD_HISTORIES: '1' },
  });
  status ||= run.status ?? 1;
}
// The fixtures stay in the repository's format (Biome's JSON style), like every other file.
spawnSync('npx', ['biome', 'format', '--write', 'test/fixtures/histories'], { cwd: root, stdio: 'inherit' });
console.log('\nchanged under test/fixtures/histories/:');
spawnSync('git', ['status', '--short', '--', 'test/fixtures/histories'], { cwd: root, stdio: 'inherit' });
process.exit(status);
