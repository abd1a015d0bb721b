import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../../activities/index.js';
import { loadStackConfig } from '../../../scripts/stack/config.js';
import { stackPaths } from '../../../scripts/stack/paths.js';
import { buildActivityDeps } from '../../../worker/activity-deps.js';
import { createWorker } from '../../../worker/create-worker.js';

/** A real worker on a fresh task queue against the stack's Temporal, with a client; stop() shuts both down. */
export async function startTestWorker(name: string, opts: { slackApiUrl?: string } = {}) {
  const config = loadStackConfig();
  const address = `127.0.0.1:${config.ports.temporal}`;
  const taskQueue = `${name}-${Date.now().toString(36)}`;
  const deps = buildActivityDeps({
    kubeconfigPath: stackPaths(config).kubeconfig,
    cacheDir: mkdtempSync(join(tmpdir(), `sluice-${name}-`)),
    prometheusAddress: `http://127.0.0.1:${config.ports.prometheus}`,
    temporalUiUrl: `http://127.0.0.1:${config.ports.temporalUi}`,
    ...opts,
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
  return {
    client,
    taskQueue,
    deps,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    },
  };
}
