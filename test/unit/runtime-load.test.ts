import { describe, expect, it } from 'vitest';

// .ci/run runs the unit tests under Node 20 (this machine) and Node 24 (production): this file is
// what proves every runtime dependency loads on both (client-node 2.x, for one, crashes on 20).
describe('runtime dependencies load on this Node', () => {
  it.each([
    ['@temporalio/client', 'Client'],
    ['@temporalio/worker', 'Worker'],
    ['@temporalio/activity', 'Context'],
    ['@kubernetes/client-node', 'KubeConfig'],
    ['isomorphic-git', 'clone'],
    ['yaml', 'parseDocument'],
    ['ajv', 'default'],
    ['@slack/web-api', 'WebClient'],
    ['commander', 'Command'],
    ['picomatch', 'isMatch'],
    ['import-meta-resolve', 'resolve'],
    ['@marcbachmann/cel-js', 'Environment'],
    ['leven', 'default'],
  ])('%s exports %s', async (name, exported) => {
    const mod = await import(name);
    expect(mod[exported] ?? mod.default?.[exported]).toBeDefined();
  });

  it('runs on a supported Node major (20, 22 or ≥24)', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect([20, 22].includes(major) || major >= 24).toBe(true);
  });
});
