import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { deploymentYaml } from './helpers/manifests.js';
import { json, sluice, until } from './helpers/sluice-cli.js';
import { spawnWorker, type WorkerProcess } from './helpers/worker-process.js';

const deployment = (name: string, image: string) => deploymentYaml(name, { image, containerPort: 8080 });

// The CLI as a person runs it: every command a spawned `sluice` process; a real `sluice worker`
// process watching a private repository over HTTP, configured by `sluice repo add`; the stack's
// Temporal and Kubernetes. `npm run build` first (the processes run dist/).
describe('the sluice CLI against the real stack', () => {
  const config = loadStackConfig();
  const suffix = Date.now().toString(36);
  const app = `cli-${suffix}`;
  const ns = `cli-${suffix}`;
  const user = `cli-${suffix}`;
  const password = `pw-${suffix}-K4r`;
  const repo = servedRepo('cli', { private: { user, password } });
  const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
  const workerConfig = join(dir, 'sluice-worker.yaml');
  const secretsDir = join(dir, 'secrets');
  const kube = testKube();
  const rolloutIds: string[] = [];
  let worker: WorkerProcess | undefined;
  let connection: Connection;
  let client: Client;
  const env = { SLUICE_TEMPORAL_ADDRESS: `127.0.0.1:${config.ports.temporal}` };
  process.env.SLUICE_TEMPORAL_ADDRESS = env.SLUICE_TEMPORAL_ADDRESS;

  const pipelineFiles = {
    'sluice/app.yaml': `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${app}
spec:
  source:
    repoURL: ${repo.url}
    targetRevision: main
    path: deploy
  destination:
    namespace: ${ns}
  syncPolicy:
    syncOptions: [CreateNamespace=true]
  rollout: web
`,
    'sluice/rollout.yaml': `apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  targetRef: {name: web}
  service: {port: 80, targetPort: 8080}
  provider: istio
  strategy:
    canary:
      steps:
        - setWeight: 20
        - pause: {}
        - setWeight: 40
        - pause: {}
        - setWeight: 60
  analysis:
    interval: 1s
`,
  };
  const primaryImage = async () =>
    (await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web-primary' })).spec?.template.spec
      ?.containers[0]?.image;

  /** Commits a new image, waits until the application has seen the commit, then syncs it with the CLI. */
  const commitAndSync = async (image: string) => {
    const sha = repo.commit({ 'deploy/deployment.yaml': deployment('web', image) }, `web ${image}`);
    await until('the new commit', ['app', 'get', app], (s) => s.sourceRevision === sha);
    const sync = await json(['app', 'sync', app]);
    expect(sync).toMatchObject({ phase: 'Succeeded', revision: sha });
    const get = await until<{ rollout?: { workflowId: string; revision: string } }>(
      'the rollout of the commit',
      ['app', 'get', app],
      (s) => s.rollout?.revision === sha,
    );
    rolloutIds.push(get.rollout?.workflowId as string);
    return sha;
  };

  beforeAll(async () => {
    appendFileSync(stackPaths(config).gitUsers, `${user}:${password}\n`);
    writeFileSync(
      workerConfig,
      `# written by the test; repositories are added by \`sluice repo add\`\ntemporal: {address: "127.0.0.1:${config.ports.temporal}"}\ntaskQueue: cli-${suffix}\nkubeconfig: ${stackPaths(config).kubeconfig}\ncacheDir: ${join(dir, 'cache')}\nwebhooks: {port: 0}\n# the administrator's default Project: this test's namespace only\nprojects: [{name: default, destinations: [{namespace: ${ns}}]}]\n`,
    );
    connection = await Connection.connect({ address: env.SLUICE_TEMPORAL_ADDRESS });
    client = new Client({ connection });
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    for (const id of [`repo/cli-${suffix}`, applicationWorkflowId(`cli-${suffix}`, app), ...rolloutIds])
      await client?.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    await connection?.close();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('adds a private repository: entry in the config, credentials only in the file secret store', async () => {
    repo.commit({ ...pipelineFiles, 'deploy/deployment.yaml': deployment('web', 'example/web:1') }, 'v1');
    const wrong = await sluice(
      [
        'repo',
        'add',
        `cli-${suffix}`,
        repo.url,
        '--config',
        workerConfig,
        '--username',
        user,
        '--password-stdin',
      ],
      { input: 'not-the-password\n' },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^sluice: cannot use .*refused the credentials/m);
    expect(wrong.stderr).toMatch(/^hint: /m);

    const add = await sluice(
      [
        'repo',
        'add',
        `cli-${suffix}`,
        repo.url,
        '--config',
        workerConfig,
        '--path',
        'sluice',
        '--poll-interval',
        '2s',
        '--project',
        'default',
        '--username',
        user,
        '--password-stdin',
        '--secrets-dir',
        secretsDir,
      ],
      { input: `${password}\n` },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`repository cli-${suffix} added`);
    const yaml = readFileSync(workerConfig, 'utf8');
    expect(yaml).toContain('# written by the test');
    expect(yaml).toContain(`name: repo-cli-${suffix}`);
    expect(yaml).toMatch(/projects:\n\s+- default/);
    expect(yaml).not.toContain(password);
    const secretFile = join(secretsDir, `repo-cli-${suffix}`, 'password');
    expect(readFileSync(secretFile, 'utf8')).toBe(password);
    expect(statSync(secretFile).mode & 0o077).toBe(0);
    expect(existsSync(join(secretsDir, '.gitignore'))).toBe(true);

    const again = await sluice([
      'repo',
      'add',
      `cli-${suffix}`,
      repo.url,
      '--config',
      workerConfig,
      '--no-check',
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has a repository/);

    const list = await json<{ id: string; url: string; secretRef?: { name: string } }[]>([
      'repo',
      'list',
      '--config',
      workerConfig,
    ]);
    expect(list).toEqual([
      expect.objectContaining({
        id: `cli-${suffix}`,
        url: repo.url,
        secretRef: { name: `repo-cli-${suffix}` },
      }),
    ]);
  });

  it('lists, shows, diffs, syncs and renders the application the worker started from the repository', async () => {
    worker = spawnWorker(workerConfig);
    await worker.started;

    const apps = await until<{ name: string }[]>('the application in app list', ['app', 'list'], (l) =>
      l.some((a) => a.name === app),
    );
    expect(apps.find((a) => a.name === app)).toMatchObject({ project: 'default' });
    const status = await until('the source revision', ['app', 'get', app], (s) => Boolean(s.sourceRevision));
    expect(status).toMatchObject({ name: app, syncStatus: 'OutOfSync', phase: 'Watching' });
    const sha1 = status.sourceRevision as string;

    const diff = await sluice(['app', 'diff', app, '--exit-code']);
    expect(diff.code, diff.stderr).toBe(1);
    expect(diff.stdout, diff.stdout).toMatch(new RegExp(`===== apps/v1 Deployment ${ns}/web \\(Missing\\)`));
    expect(diff.stdout).toMatch(/^\+.*image: example\/web:1$/m);

    const sync = await json(['app', 'sync', app]);
    // The dry run of `app diff` took history ID 1 (dry runs are not recorded).
    expect(sync).toMatchObject({ id: 2, phase: 'Succeeded', revision: sha1, dryRun: false });
    const wait = await sluice(['app', 'wait', app, '--sync', '--health', '--timeout', '90s']);
    expect(wait.code, wait.stderr).toBe(0);
    const table = await sluice(['app', 'list']);
    expect(table.stdout).toMatch(/^NAME +REPOSITORY +PROJECT +SYNC +HEALTH +REVISION +ROLLOUT +SUSPENDED$/m);
    expect(table.stdout).toMatch(
      new RegExp(`^${app} +cli-${suffix} +default +Synced +Healthy +${sha1.slice(0, 7)} `, 'm'),
    );
    const get = await sluice(['app', 'get', app]);
    expect(get.stdout).toMatch(/^Sync: +Synced \(synced [0-9a-f]{7}, source [0-9a-f]{7}\)$/m);
    // The first revision goes straight to the primary.
    const init = await until<{ rollout?: { phase: string; workflowId: string } }>(
      'the primary to be initialised',
      ['app', 'get', app],
      (s) => s.rollout?.phase === 'Initialized',
    );
    rolloutIds.push(init.rollout?.workflowId as string);
    expect(await primaryImage()).toBe('example/web:1');

    const manifests = await sluice(['app', 'manifests', app, '--config', workerConfig]);
    expect(manifests.code, manifests.stderr).toBe(0);
    expect(manifests.stdout).toMatch(/kind: Deployment/);
    expect(manifests.stdout).toMatch(/image: example\/web:1/);
    expect(manifests.stdout).not.toMatch(/sluice\.dev\/v1alpha1/);

    const missing = await sluice(['app', 'get', `no-such-${suffix}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^sluice: application "no-such-.*" not found/m);
    const usage = await sluice(['app', 'sync']);
    expect(usage.code).toBe(2);
  });

  it('pauses, resumes and promotes a real rollout', async () => {
    const sha2 = await commitAndSync('example/web:2');
    const atPause = await until('the pause at 20%', ['rollout', 'get', app], (s) => s.phase === 'Paused');
    expect(atPause).toMatchObject({ revision: sha2, canaryWeight: 20, step: 1, failedChecks: 0 });
    const table = await sluice(['rollout', 'get', app]);
    expect(table.stdout).toMatch(/^Phase:\s+Paused$/m);
    expect(table.stdout).toMatch(/^Weight:\s+canary 20% \/ primary 80%$/m);

    const paused = await json(['rollout', 'pause', app]);
    expect(paused).toMatchObject({ phase: 'Paused', canaryWeight: 20 });
    expect(paused.message).toMatch(/paused at step 2/);
    const resumed = await json(['rollout', 'resume', app]);
    expect(resumed.phase).toBe('Progressing');
    await until(
      'the pause at 40%',
      ['rollout', 'get', app],
      (s) => s.phase === 'Paused' && s.canaryWeight === 40,
    );

    const promoted = await json(['rollout', 'promote', app]);
    expect(promoted).toMatchObject({ phase: 'Succeeded', canaryWeight: 0, revision: sha2 });
    expect(await primaryImage()).toBe('example/web:2');
    const ended = await sluice(['rollout', 'promote', app]);
    expect(ended.code).toBe(1);
    expect(ended.stderr).toMatch(/already ended/);
  });

  it('aborts a rollout while `rollout watch` follows it to the end (exit 1)', async () => {
    await commitAndSync('example/web:3');
    await until('the pause at 20%', ['rollout', 'get', app], (s) => s.phase === 'Paused');
    let watchOutput = '';
    const watching = sluice(['rollout', 'watch', app, '--interval', '200ms'], {
      onStdout: (text) => {
        watchOutput += text;
      },
    });
    // The same command on a terminal (util-linux `script` gives it a pty) redraws its block in place.
    let ttyOutput = '';
    const onTty = new Promise<number | null>((resolve) => {
      const child = spawn(
        'script',
        ['-qfec', `${process.execPath} bin/sluice.js rollout watch ${app} --interval 200ms`, '/dev/null'],
        { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      child.stdout.on('data', (c: Buffer) => {
        ttyOutput += c.toString();
      });
      child.on('close', resolve);
    });
    await waitFor('watch to print the paused rollout', async () => watchOutput.includes('Paused'), 30_000);
    await waitFor('watch on a tty to draw the rollout', async () => /Phase: +Paused/.test(ttyOutput), 30_000);
    const aborted = await json(['rollout', 'abort', app, '--reason', 'cli test']);
    expect(aborted).toMatchObject({ phase: 'Failed', canaryWeight: 0 });
    expect(aborted.message).toMatch(/cli test/);
    const watched = await watching;
    expect(watched.code).toBe(1);
    const lines = watched.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/Paused {2}step 2\/5 .*weight 20%/);
    expect(lines.at(-1)).toMatch(/Failed .*cli test/);
    expect(await onTty).toBe(1);
    expect(ttyOutput).toContain('\x1b[J'); // moved up over the old block and cleared it
    expect(ttyOutput).toMatch(/Phase: +Failed/);
    expect(await primaryImage()).toBe('example/web:2');

    const list = await json<{ workflowId: string; phase: string; status: string }[]>([
      'rollout',
      'list',
      '--app',
      app,
    ]);
    expect(list.map((r) => r.phase)).toEqual(['Failed', 'Succeeded', 'Initialized']);
    // The aborted rollout is red in the Temporal UI: its workflow failed; SluicePhase says why.
    expect(list.map((r) => r.status)).toEqual(['FAILED', 'COMPLETED', 'COMPLETED']);
  });

  it('shows the history and rolls back to the first sync', async () => {
    const history = await json<{ id: number; revision: string; phase: string }[]>(['app', 'history', app]);
    expect(history.map((h) => [h.id, h.phase])).toEqual([
      [2, 'Succeeded'],
      [3, 'Succeeded'],
      [4, 'Succeeded'],
    ]);
    const table = await sluice(['app', 'history', app]);
    expect(table.stdout).toMatch(/^ID +REVISION +PHASE +HEALTH +FINISHED +CHANGED +PRUNED +MESSAGE$/m);
    const bad = await sluice(['app', 'rollback', app, '42']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no successful sync with id 42/);

    expect((await sluice(['app', 'rollback', app, 'first'])).code).toBe(2);
    const rolledBack = await json(['app', 'rollback', app, '2']);
    expect(rolledBack).toMatchObject({ id: 5, phase: 'Succeeded', revision: history[0]?.revision });
    const status = await json(['app', 'get', app]);
    expect(status).toMatchObject({ syncedRevision: history[0]?.revision });
    expect(status.heldAt).toBe(history[2]?.revision);
    const get = await until<{ rollout?: { workflowId: string } }>(
      'the rollback’s rollout',
      ['app', 'get', app],
      (s) => (s.rollout as { revision?: string } | undefined)?.revision === history[0]?.revision,
    );
    rolloutIds.push(get.rollout?.workflowId as string);
  });
});
