import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { packageVersion } from '../../scripts/stack/project-root.js';
import { startApp } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { configMapYaml, deploymentYaml } from './helpers/manifests.js';
import { sluice, until } from './helpers/sluice-cli.js';
import { spawnWorker, type WorkerProcess } from './helpers/worker-process.js';

/** A local port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

// What an operator leans on besides the happy path: failing fast when Temporal is away, refusing bad input before
// connecting, seeing every application (also one nobody can answer for), following a sync, knowing the versions.
// Spawned `sluice` processes from dist/ (build first) and a real `sluice worker` on its own task queue.
describe('the sluice CLI for operators', () => {
  const config = loadStackConfig();
  const suffix = Date.now().toString(36);
  const app = `ops-${suffix}`;
  const ns = `ops-${suffix}`;
  const queue = `cli-ops-${suffix}`;
  const repo = servedRepo('cli-ops');
  const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-ops-'));
  const workerConfig = join(dir, 'sluice-worker.yaml');
  const kube = testKube();
  const started: string[] = [];
  let worker: WorkerProcess | undefined;
  let connection: Connection;
  let client: Client;
  process.env.SLUICE_TEMPORAL_ADDRESS = `127.0.0.1:${config.ports.temporal}`;
  /** An Application of the test repository: its manifests at `path`, deployed to the test namespace. */
  const appYaml = (name: string, path: string, syncPolicy: string) => `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  source: {repoURL: ${repo.url}, targetRevision: main, path: ${path}}
  destination: {namespace: ${ns}}
  syncPolicy: ${syncPolicy}
`;

  beforeAll(async () => {
    repo.commit(
      {
        'sluice/app.yaml': appYaml(app, 'deploy', '{syncOptions: [CreateNamespace=true]}'),
        'deploy/deployment.yaml': deploymentYaml('web', { image: 'example/web:1', containerPort: 8080 }),
        'deploy/config.yaml': configMapYaml('web-config', { a: '1' }),
      },
      'v1',
    );
    writeFileSync(
      workerConfig,
      `temporal: {address: "127.0.0.1:${config.ports.temporal}"}\ntaskQueue: ${queue}\nkubeconfig: ${stackPaths(config).kubeconfig}\ncacheDir: ${join(dir, 'cache')}\nwebhooks: {port: 0}\nprojects: [{name: default, destinations: [{namespace: ${ns}}]}]\n`,
    );
    const add = await sluice([
      'repo',
      'add',
      queue,
      repo.url,
      '--config',
      workerConfig,
      '--path',
      'sluice',
      '--poll-interval',
      '2s',
    ]);
    expect(add.code, add.stderr).toBe(0);
    connection = await Connection.connect({ address: process.env.SLUICE_TEMPORAL_ADDRESS });
    client = new Client({ connection });
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    for (const id of [`repo/${queue}`, applicationWorkflowId(queue, app), ...started])
      await client?.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    await connection?.close();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('fails within seconds with a hint when Temporal does not answer, and refuses bad input before connecting', async () => {
    const port = await closedPort();
    const t0 = Date.now();
    const down = await sluice(['app', 'list', '--temporal-address', `127.0.0.1:${port}`]);
    const took = Date.now() - t0;
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      new RegExp(`^sluice: cannot reach Temporal at 127\\.0\\.0\\.1:${port} .*within 2s`, 'm'),
    );
    expect(down.stderr).toMatch(
      /^hint: .*`sluice dev status`.*--temporal-address or SLUICE_TEMPORAL_ADDRESS/m,
    );
    expect(down.stderr).not.toMatch(/tonic|transport error/i);
    expect(took).toBeLessThan(3000 + 2000); // the deadline is 2s; the rest is node starting (a hang guard)

    // Bad names and durations are usage errors (2) at once: the closed port is never tried.
    const badName = await sluice(['app', 'get', 'Not_A_Name', '--temporal-address', `127.0.0.1:${port}`]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/"Not_A_Name" is not an application name/);
    const badInterval = await sluice(['rollout', 'watch', 'web', '--interval', '1000']);
    expect(badInterval.code).toBe(2);
    expect(badInterval.stderr).toMatch(/option '--interval <duration>' argument '1000' is invalid.*no unit/);
    const badTimeout = await sluice(['app', 'wait', 'web', '--timeout', 'soon']);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toMatch(/--timeout <duration>.*"soon" is not a duration/);
  });

  it('reports its version and the version of each worker polling the task queue', async () => {
    worker = spawnWorker(workerConfig);
    await worker.started;
    const version = await until<{
      client: { version: string };
      workers: { version?: string; polls: string[] }[];
    }>('the worker among the pollers', ['version', '--task-queue', queue], (v) =>
      v.workers.some((w) => w.polls.includes('workflow')),
    );
    expect(version.client.version).toBe(packageVersion());
    expect(version.workers.find((w) => w.polls.includes('workflow'))?.version).toBe(packageVersion());
    const table = await sluice(['version', '--task-queue', queue]);
    expect(table.stdout).toMatch(
      new RegExp(`^Client: +sluice ${packageVersion().replaceAll('.', '\\.')} `, 'm'),
    );
    expect(table.stdout).toMatch(
      new RegExp(
        `sluice/${packageVersion().replaceAll('.', '\\.')} +${packageVersion().replaceAll('.', '\\.')} `,
      ),
    );
    const client = await sluice(['version', '--client', '--temporal-address', '127.0.0.1:1']);
    expect(client.code).toBe(0);
  });

  it('lists an application whose status cannot be read, marked, beside the readable ones', async () => {
    // An application workflow on a task queue no worker polls: its status query cannot be answered.
    const orphan = `orphan-${suffix}`;
    const handle = await startApp(client, `nobody-${suffix}`, {
      name: orphan,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path: 'deploy' },
        destination: { namespace: ns },
      },
    });
    started.push(handle.workflowId);
    const list = await until<{ name: string; error?: string; syncStatus?: string }[]>(
      'both applications in app list',
      ['app', 'list'],
      (l) => l.some((a) => a.name === orphan) && l.some((a) => a.name === app),
    );
    expect(list.find((a) => a.name === orphan)?.error).toMatch(new RegExp(`nobody-${suffix}`));
    expect(list.find((a) => a.name === app)?.error).toBeUndefined();
    const table = await sluice(['app', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${orphan} +test +- +Unreadable +Unknown `, 'm'));
    expect(table.stderr).toMatch(
      new RegExp(
        `^sluice: ${orphan}: status unreadable: .*is a \`sluice worker\` running on task queue "nobody-${suffix}"`,
        'm',
      ),
    );
  });

  it('follows a sync object by object, lists objects in app get, and gives up waiting at --timeout', async () => {
    await until('the source revision', ['app', 'get', app], (s) => Boolean(s.sourceRevision));
    const early = await sluice(['app', 'wait', app, '--sync', '--timeout', '1s']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(
      new RegExp(`^sluice: timed out after 1s waiting for ${app}: sync OutOfSync`, 'm'),
    );

    const sync = await sluice(['app', 'sync', app], { env: { SLUICE_DEBUG: '1' } });
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).toBe('');
    // Not a terminal: a timestamped line per change, steps and objects, then the result.
    expect(sync.stdout).toMatch(/^\S+Z {2}✓ render and apply .* at [0-9a-f]{7}$/m);
    expect(sync.stdout).toMatch(new RegExp(`^\\S+Z  Deployment ${ns}/web  Synced`, 'm'));
    expect(sync.stdout).toMatch(new RegExp(`^\\S+Z  ConfigMap ${ns}/web-config  Synced`, 'm'));
    expect(sync.stdout).toMatch(new RegExp(`^${app}: sync 1 of [0-9a-f]{7} Succeeded`, 'm'));

    const get = await until<{
      resources?: { ref: { kind: string; name: string }; sync: string; health: string }[];
    }>('objects in the status', ['app', 'get', app], (s) => (s.resources ?? []).length >= 2);
    expect(get.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ref: expect.objectContaining({ kind: 'Deployment', name: 'web' }),
          sync: 'Synced',
        }),
        expect.objectContaining({
          ref: expect.objectContaining({ kind: 'ConfigMap', name: 'web-config' }),
          health: 'Healthy',
        }),
      ]),
    );
    const table = await sluice(['app', 'get', app]);
    expect(table.stdout).toMatch(/^GROUP +KIND +NAMESPACE +NAME +SYNC +HEALTH +MESSAGE$/m);
    expect(table.stdout).toMatch(new RegExp(`^apps +Deployment +${ns} +web +Synced +\\w+`, 'm'));

    const wait = await sluice(['app', 'wait', app, '--timeout', '60s']);
    expect(wait.code, wait.stderr).toBe(0);
    expect(wait.stdout).toMatch(new RegExp(`${app}: Synced, Healthy at [0-9a-f]{7}`));

    // A sync that does not end in time: exit 1 naming the timeout; the sync goes on in its workflow.
    repo.commit(
      {
        'deploy/config.yaml': configMapYaml('web-config', { a: '2' }),
      },
      'v2',
    );
    await until('the new commit', ['app', 'get', app], (s) => s.syncStatus === 'OutOfSync');
    const hurried = await sluice(['app', 'sync', app, '--timeout', '1ms']);
    expect(hurried.code).toBe(1);
    expect(hurried.stderr).toMatch(
      new RegExp(`^sluice: timed out after 1ms waiting for the sync of ${app}`, 'm'),
    );
    expect(hurried.stderr).toMatch(/^hint: it goes on in its workflow/m);
    expect((await sluice(['app', 'wait', app, '--timeout', '60s'])).code).toBe(0);
  });

  it('diffs exit 1 on a difference (unless told not to), against a branch or a local directory', async () => {
    const same = await sluice(['app', 'diff', app]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toMatch(new RegExp(`${app}: no differences at [0-9a-f]{7}`));

    // A change previewed from a local directory before any push: rendered with the Application's renderer.
    const local = mkdtempSync(join(tmpdir(), 'sluice-local-'));
    writeFileSync(
      join(local, 'deployment.yaml'),
      deploymentYaml('web', { image: 'example/web:9', containerPort: 8080 }),
    );
    writeFileSync(join(local, 'config.yaml'), configMapYaml('web-config', { a: '2' }));
    const diff = await sluice(['app', 'diff', app, '--local', local, '--config', workerConfig]);
    expect(diff.code, diff.stderr).toBe(1);
    expect(diff.stdout).toMatch(new RegExp(`^===== apps/v1 Deployment ${ns}/web \\(OutOfSync\\)$`, 'm'));
    expect(diff.stdout).toMatch(/^\+.*image: example\/web:9$/m);
    expect(diff.stdout).not.toMatch(/ConfigMap/); // unchanged: data a is "2" live too
    const off = await sluice([
      'app',
      'diff',
      app,
      '--local',
      local,
      '--config',
      workerConfig,
      '--no-exit-code',
    ]);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toBe(diff.stdout);
    const offToo = await sluice([
      'app',
      'diff',
      app,
      '--local',
      local,
      '--config',
      workerConfig,
      '--exit-code=false',
    ]);
    expect(offToo.code, offToo.stderr).toBe(0);

    // A branch name is resolved on the Git server (the sync update takes commit SHAs only).
    repo.commit(
      { 'deploy/deployment.yaml': deploymentYaml('web', { image: 'example/web:3', containerPort: 8080 }) },
      'v3',
    );
    const branch = await sluice(['app', 'diff', app, '--revision', 'main', '--config', workerConfig]);
    expect(branch.code, branch.stderr).toBe(1);
    expect(branch.stdout).toMatch(/^\+.*image: example\/web:3$/m);
    const missing = await sluice([
      'app',
      'diff',
      app,
      '--revision',
      'no-such-branch',
      '--config',
      workerConfig,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot resolve --revision no-such-branch/);
  });

  it('waits for a just-pushed application to be started, then for it to be synced and healthy', async () => {
    const gone = await sluice(['app', 'wait', `never-${suffix}`, '--timeout', '2s']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(new RegExp(`^never-${suffix}: not running yet`, 'm'));
    expect(gone.stderr).toMatch(new RegExp(`^sluice: application "never-${suffix}" not found`, 'm'));

    const late = `late-${suffix}`;
    started.push(applicationWorkflowId(queue, late));
    repo.commit(
      {
        'sluice/late.yaml': appYaml(late, 'late', '{automated: {}}'),
        'late/config.yaml': configMapYaml('late-config', { a: '1' }),
      },
      'a late application',
    );
    // Right after the push: usually not listed until the watcher's next poll (2 s), then synced by automation.
    const wait = await sluice(['app', 'wait', late, '--timeout', '90s']);
    expect(wait.code, wait.stderr).toBe(0);
    expect(wait.stdout).toMatch(new RegExp(`${late}: Synced, Healthy at [0-9a-f]{7}`));
  });
});
