import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// `sluice demo` as a new user runs it (from dist/: `npm test` builds first), on the running stack.
describe('sluice demo', () => {
  it('syncs an app from Git, promotes a good canary, rolls back a bad one, and links both rollouts', () => {
    const run = spawnSync(process.execPath, ['bin/sluice.js', 'demo'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/good rollout: Succeeded — promoted \w+ to podinfo-primary/);
    expect(run.stdout).toMatch(/bad rollout: {2}Failed — rolled back: request-success-rate [\d.]+ < min 99/);
    const links =
      run.stdout.match(/Temporal UI: http:\/\/\S+\/workflows\/rollout%2Fdemo-\w+%2Fpodinfo-\S+/g) ?? [];
    expect(links).toHaveLength(2);
    expect(run.stdout).toMatch(/canary 60%/);
  });
});
