// A real `sluice worker` process for tests about secrets: its own task queue, cache and secrets dir (files
// written here), every Project rule open, and a Temporal client to start Applications on its queue. Its output
// is captured so a test can search it for plaintext.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { expect } from 'vitest';
import { loadStackConfig } from '../../../scripts/stack/config.js';
import { stackPaths } from '../../../scripts/stack/paths.js';
import { type SyncResultOrDryRun, syncUpdate } from '../../../workflows/application/messages.js';
import { startApp, waitForStatus } from './app.js';
import { testKube } from './kube.js';
import { appHistories, leaked } from './plaintext-search.js';
import { spawnWorker, type WorkerProcess } from './worker-process.js';

type AppHandle = Awaited<ReturnType<typeof startApp>>;

/** The running worker, its client and queue, and the Applications started on it; `stop` ends all of them. */
export interface SecretWorker {
  worker: WorkerProcess;
  client: Client;
  taskQueue: string;
  /** Every Application started by syncOnce, for history searches. */
  apps: AppHandle[];
  /** Starts Application `app` (destination: a namespace of that name, filled first by `before`) and syncs it once. */
  syncOnce(
    app: string,
    spec: Record<string, unknown>,
    before?: (ns: string) => Promise<void>,
  ): Promise<{ ns: string; handle: AppHandle; result: SyncResultOrDryRun }>;
  /**
   * Asserts that no secret occurs (as itself or in base64) in any history of the started Applications or in the
   * worker's output; `seen` is a public string the histories must contain, proving the search reaches them.
   */
  expectNoPlaintext(secrets: string[], seen: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Writes the worker's secrets (`secrets[name][file] = content`) and config (the shared lines plus `extraConfig`,
 * YAML lines such as `secretAccess` or `helmRepositories`), starts the worker from dist/ and connects.
 */
export async function startSecretWorker(opts: {
  name: string;
  secrets: Record<string, Record<string, string>>;
  extraConfig: string[];
}): Promise<SecretWorker> {
  const config = loadStackConfig();
  const dir = mkdtempSync(join(tmpdir(), `sluice-${opts.name}-it-`));
  const taskQueue = `${opts.name}-${Date.now().toString(36)}`;
  for (const [name, files] of Object.entries(opts.secrets)) {
    mkdirSync(join(dir, 'secrets', name), { recursive: true });
    for (const [file, content] of Object.entries(files))
      writeFileSync(join(dir, 'secrets', name, file), content);
  }
  const configFile = join(dir, 'worker.yaml');
  writeFileSync(
    configFile,
    [
      `temporal: {address: "127.0.0.1:${config.ports.temporal}"}`,
      `taskQueue: ${taskQueue}`,
      `kubeconfig: ${stackPaths(config).kubeconfig}`,
      `cacheDir: ${join(dir, 'cache')}`,
      `secretsDir: ${join(dir, 'secrets')}`,
      'webhooks: {port: 0}',
      "projects: [{name: default, sourceRepos: ['*'], destinations: [{namespace: '*'}], clusterResourceAllowList: [{group: '*', kind: '*'}]}]",
      ...opts.extraConfig,
      '',
    ].join('\n'),
  );
  const worker = spawnWorker(configFile);
  await worker.started;
  const connection = await Connection.connect({ address: `127.0.0.1:${config.ports.temporal}` });
  const client = new Client({ connection });
  const kube = testKube();
  const apps: AppHandle[] = [];
  return {
    worker,
    client,
    taskQueue,
    apps,
    async syncOnce(app, spec, before) {
      if (before) {
        await kube.core.createNamespace({ body: { metadata: { name: app } } }).catch(() => {});
        await before(app);
      }
      const handle = await startApp(client, taskQueue, {
        name: app,
        project: 'default',
        revision: 'test',
        source: 'test',
        spec: {
          ...spec,
          destination: { namespace: app },
          syncPolicy: { syncOptions: ['CreateNamespace=true'] },
        } as Parameters<typeof startApp>[2]['spec'],
      });
      apps.push(handle);
      await waitForStatus(handle, 'the source revision', (s) => s.sourceRevision !== undefined);
      return { ns: app, handle, result: await handle.executeUpdate(syncUpdate, { args: [{}] }) };
    },
    async expectNoPlaintext(secrets, seen) {
      const histories = await appHistories(client, apps);
      expect(histories.length).toBeGreaterThan(apps.length);
      const all = histories.join('\n');
      expect(all).toContain(seen);
      const output = worker.output();
      expect(output.length).toBeGreaterThan(0);
      expect(leaked(all, secrets), 'in history').toEqual([]);
      expect(leaked(output, secrets), 'in worker output').toEqual([]);
    },
    async stop() {
      for (const a of apps) await a.terminate('test done').catch(() => {});
      await worker.kill();
      await connection.close();
    },
  };
}
