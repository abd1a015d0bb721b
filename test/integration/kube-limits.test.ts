import { describe, expect, it } from 'vitest';
import { kubeClients } from '../../activities/kube/client.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';

describe('client-side QPS limit', () => {
  it('paces every call of the object client against the real API server', async () => {
    const { objects } = kubeClients(stackPaths(loadStackConfig()).kubeconfig, undefined, {
      qps: 10,
      burst: 1,
    });
    const started = Date.now();
    for (let i = 0; i < 6; i++)
      await objects.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    // One token at once, then five more at 10/s: at least ~500 ms (unlimited, six reads take a few ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });
});
