import { TimeoutFailure } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';
import { kubeClients } from '../../activities/kube/client.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackStatus, stackUp, stopComponentProcess } from '../../scripts/stack/index.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { runSmoke } from '../../scripts/stack/smoke.js';

const config = loadStackConfig();
const runId = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** The deepest cause of a Temporal failure chain. */
function rootCause(err: unknown): unknown {
  let e = err;
  while (e instanceof Error && e.cause) e = e.cause;
  return e;
}

describe('smoke workflow through the whole stack', () => {
  afterAll(async () => {
    // Whatever a test stopped comes back, so later files see a healthy stack.
    await stackUp(config, () => {});
  });

  it('server-side applies a 3-replica Deployment and waits until it is Available', async () => {
    const name = `smoke-${runId()}`;
    const run = await runSmoke(config, { name, replicas: 3, runId: runId() });
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({ applied: 2, readyReplicas: 3, availableReplicas: 3 });
    expect(run.uiLink).toBe(
      `http://127.0.0.1:${config.ports.temporalUi}/namespaces/default/workflows/${encodeURIComponent(run.workflowId)}`,
    );
    // The cluster agrees, and the object is owned by Sluice's field manager.
    const d = await kubeClients(stackPaths(config).kubeconfig).apps.readNamespacedDeployment({
      namespace: 'sluice-smoke',
      name,
    });
    expect(d.status?.readyReplicas).toBe(3);
    expect(d.metadata?.managedFields?.some((f) => f.manager === 'sluice' && f.operation === 'Apply')).toBe(
      true,
    );
  });

  for (const component of ['kwok', 'kube-controller-manager']) {
    it(`fails when ${component} is not running`, async () => {
      expect(await stopComponentProcess(config, component)).toBe(true);
      try {
        expect((await stackStatus(config)).kubernetes.healthy).toBe(false);
        const run = await runSmoke(config, {
          name: `no-${component}-${runId()}`,
          availableTimeout: '15 seconds',
          runId: runId(),
        });
        expect(run.result).toBeUndefined();
        expect(rootCause(run.error)).toBeInstanceOf(TimeoutFailure);
      } finally {
        await stackUp(config, () => {});
      }
      expect((await stackStatus(config)).kubernetes.healthy).toBe(true);
    });
  }
});
