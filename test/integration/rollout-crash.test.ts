import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { waitFor } from '../helpers/wait-for.js';
import { testKube } from './helpers/kube.js';
import {
  applyAsSync,
  ensureNamespace,
  recordWeights,
  rolloutTarget,
  routesOf,
  startRollout,
  targetDeployment,
  waitForRollout,
} from './helpers/rollout.js';
import { openTestTrust } from './helpers/test-worker.js';

// The worker is a real `sluice worker` process (from dist/: `npm test` builds first), SIGKILLed
// while the rollout sits in a timed pause, then replaced.
describe('a worker killed with SIGKILL during a rollout pause', () => {
  const config = loadStackConfig();
  const suffix = Date.now().toString(36);
  const taskQueue = `rollout-crash-${suffix}`;
  const ns = `rollout-crash-${suffix}`;
  const kube = testKube();
  const dir = mkdtempSync(join(tmpdir(), 'sluice-rollout-crash-'));
  const workerConfig = join(dir, 'worker.yaml');
  const deps = buildActivityDeps({
    kubeconfigPath: stackPaths(config).kubeconfig,
    cacheDir: join(dir, 'local'),
    trust: openTestTrust,
  });
  let worker: ChildProcess | undefined;
  let client: Client;
  let connection: Connection;

  const startWorker = () => {
    const child = spawn(process.execPath, ['bin/sluice.js', 'worker', '--config', workerConfig], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (c: Buffer) => {
      output += c.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    worker = child;
    return waitFor('the worker to start', async () => output.includes('worker started'), 60_000);
  };

  beforeAll(async () => {
    writeFileSync(
      workerConfig,
      `temporal: {address: "127.0.0.1:${config.ports.temporal}"}\ntaskQueue: ${taskQueue}\nkubeconfig: ${stackPaths(config).kubeconfig}\ncacheDir: ${join(dir, 'cache')}\nwebhooks: {port: 0}\nprojects: [{name: default, sourceRepos: ['*'], destinations: [{namespace: '*'}], clusterResourceAllowList: [{group: '*', kind: '*'}]}]\n`,
    );
    connection = await Connection.connect({ address: `127.0.0.1:${config.ports.temporal}` });
    client = new Client({ connection });
    await ensureNamespace(deps, ns);
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await connection.close();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('continues from the same step: no weight step skipped or repeated', async () => {
    await startWorker();
    const env = { client, taskQueue, deps };
    const t = rolloutTarget(ns, 'crashy', 'istio');
    await applyAsSync(deps, targetDeployment(ns, 'crashy', 'example/app:1'));
    expect(
      (await (await startRollout(env, t, { strategy: { canary: { stepWeight: 50 } } })).result()).phase,
    ).toBe('Initialized');
    await applyAsSync(deps, targetDeployment(ns, 'crashy', 'example/app:2'));
    const weights = recordWeights(routesOf(deps, t));
    const handle = await startRollout(env, t, {
      provider: 'istio',
      strategy: {
        canary: {
          // The short pause lets the test's 200 ms sampler of the VirtualService see 20 % before 30 %.
          steps: [
            { setWeight: 10 },
            { pause: { duration: '8s' } },
            { setWeight: 20 },
            { pause: { duration: '1s' } },
            { setWeight: 30 },
          ],
        },
      },
      analysis: { interval: '1s' },
    });
    await waitForRollout(handle, 'the pause step', (s) => s.step === 1 && s.canaryWeight === 10);
    worker?.kill('SIGKILL');
    await new Promise((r) => worker?.once('exit', r));
    await new Promise((r) => setTimeout(r, 2000));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await startWorker();

    const done = await handle.result();
    const seen = await weights.stop();
    expect(done.phase, done.message).toBe('Succeeded');
    expect(seen).toEqual([0, 10, 20, 30, 0]);
    // Each weight was set exactly once: the reset, the three steps and the promotion.
    const scheduled: number[] = [];
    for await (const e of (await handle.fetchHistory()).events ?? []) {
      const attrs = e.activityTaskScheduledEventAttributes;
      if (attrs?.activityType?.name !== 'setTrafficRoutes') continue;
      const payload = attrs.input?.payloads?.[0]?.data;
      const input = JSON.parse(Buffer.from(payload as Uint8Array).toString()) as {
        routes: { canaryWeight: number };
      };
      scheduled.push(input.routes.canaryWeight);
    }
    expect(scheduled).toEqual([0, 10, 20, 30, 0]);
  });
});
