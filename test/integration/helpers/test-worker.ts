import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../../activities/index.js';
import type { SecretStore } from '../../../activities/secrets/secret-store.js';
import type { TrustConfig } from '../../../activities/trust/config.js';
import type { TrafficProviderName } from '../../../core/traffic/providers.js';
import { loadStackConfig } from '../../../scripts/stack/config.js';
import { stackPaths } from '../../../scripts/stack/paths.js';
import { buildActivityDeps } from '../../../worker/activity-deps.js';
import { createWorker } from '../../../worker/create-worker.js';
import { createLiveCache, startLiveState } from '../../../worker/live-state.js';

/**
 * Trust for tests that are not about trust: a default Project that allows every source, destination and
 * kind, every secret granted to every Project for the loopback receivers, and egress to loopback.
 * Tests of the trust model (test/integration/security-*.test.ts) pass their own.
 */
export const openTestTrust: Partial<TrustConfig> = {
  projects: [
    {
      name: 'default',
      sourceRepos: ['*'],
      destinations: [{ cluster: '*', namespace: '*' }],
      clusterResourceAllowList: [{ group: '*', kind: '*' }],
    },
  ],
  secretAccess: [
    { name: '*', projects: ['*'], hosts: ['127.0.0.1', '127.0.0.1:*', 'localhost', 'localhost:*'] },
  ],
  egress: { allow: ['127.0.0.0/8', '::1/128', 'localhost'], maxResponseBytes: 1024 * 1024 },
};

/** A real worker on a fresh task queue against the stack's Temporal, with a client; stop() shuts both down. */
export async function startTestWorker(
  name: string,
  opts: {
    slackApiUrl?: string;
    trust?: Partial<TrustConfig>;
    secretStore?: SecretStore;
    defaultTrafficProvider?: TrafficProviderName;
  } = {},
) {
  const config = loadStackConfig();
  const address = `127.0.0.1:${config.ports.temporal}`;
  const taskQueue = `${name}-${Date.now().toString(36)}`;
  const kubeconfigPath = stackPaths(config).kubeconfig;
  const cacheDir = mkdtempSync(join(tmpdir(), `sluice-${name}-`));
  // As the worker does: a live-state cache of the cluster, its changes signalled to the applications.
  const live = createLiveCache({ cluster: 'in-cluster', kubeconfigPath, cacheDir, log: () => {} });
  const deps = buildActivityDeps({
    kubeconfigPath,
    cacheDir,
    live,
    prometheusAddress: `http://127.0.0.1:${config.ports.prometheus}`,
    temporalUiUrl: `http://127.0.0.1:${config.ports.temporalUi}`,
    ...opts,
    trust: opts.trust ?? openTestTrust,
  });
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection: nativeConnection,
    taskQueue,
    activities: createActivities(deps),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const stopLive = startLiveState(live, { cluster: 'in-cluster', client, log: () => {} });
  return {
    client,
    taskQueue,
    deps,
    async stop() {
      worker.shutdown();
      await running;
      await stopLive();
      await connection.close();
      await nativeConnection.close();
    },
  };
}
