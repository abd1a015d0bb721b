// Issue 12, the small items of finding 8, each as the attack: an empty webhook secret, a repository URL
// with a password, an API key over plaintext, and control characters from outside reaching the terminal.
// The CLI items run the real `sluice` binary (from dist/: `npm run build` first).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { repoWatcherId, repoWebhookHandlers, startRepoWatchers } from '../../worker/repositories.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../worker/webhooks/receiver.js';
import { hmacSignature } from '../../worker/webhooks/signature.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { startApp } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { applicationYaml } from './helpers/pipeline-yaml.js';
import { startTestWorker } from './helpers/test-worker.js';

const config = loadStackConfig();
const suffix = Date.now().toString(36);
const ESC = '\x1b';

/** Runs `node bin/sluice.js …` as a user would; answers its exit code and output. */
async function sluice(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) {
  const child = spawn(process.execPath, ['bin/sluice.js', ...args], {
    env: {
      ...process.env,
      NO_COLOR: '1',
      SLUICE_TEMPORAL_ADDRESS: `127.0.0.1:${config.ports.temporal}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe('an empty webhook secret authenticates nothing (issue 12, finding 8)', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let receiver: WebhookReceiver;
  const logs: { msg: string; fields?: Record<string, unknown> }[] = [];
  const repo = servedRepo('sec-empty-hook');
  const id = `sec-empty-${suffix}`;
  const repoConfig = {
    id,
    url: repo.url,
    revision: 'main',
    path: '.',
    pollInterval: '10m', // only a webhook could wake it during the test
    webhookSecretRef: { name: id },
    projects: ['default'],
  };
  const watcher = () => w.client.workflow.getHandle(repoWatcherId(id)).query(repoStatusQuery);

  beforeAll(async () => {
    // The secret exists but is empty: an operator's unset variable, an empty mounted file.
    process.env[`SLUICE_SECRET_SEC_EMPTY_${suffix.toUpperCase()}_SECRET`] = '';
    w = await startTestWorker('sec-empty-hook');
    receiver = await startWebhookReceiver({
      ...repoWebhookHandlers(w.client, [repoConfig], w.deps.secrets),
      log: (_level, msg, fields) => logs.push({ msg, ...(fields ? { fields } : {}) }),
    });
    const sha = repo.commit({ 'first.yaml': applicationYaml(`first-${suffix}`) });
    await startRepoWatchers(w.client, w.taskQueue, [repoConfig]);
    await waitFor('the first commit', async () => (await watcher()).lastValidSha === sha, 60_000);
  });
  afterAll(async () => {
    await receiver?.close();
    for (const wf of [repoWatcherId(id), `app/default/first-${suffix}`, `app/default/forged-${suffix}`])
      await w?.client.workflow
        .getHandle(wf)
        .terminate('test done')
        .catch(() => {});
    await w?.stop();
  });

  it('an empty GitLab token and HMACs with an empty key get 401 and wake nothing; one warning says how to fix it', async () => {
    const before = await watcher();
    const sha = repo.commit({ 'forged.yaml': applicationYaml(`forged-${suffix}`) });
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha });
    const post = (headers: Record<string, string>) =>
      fetch(`${receiver.url}/webhooks/git/${id}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
      }).then((r) => r.status);
    const emptyKeyHmac = hmacSignature('', Buffer.from(body));
    expect(await post({ 'x-gitlab-token': '' })).toBe(401);
    expect(await post({ 'x-github-event': 'push', 'x-hub-signature-256': emptyKeyHmac })).toBe(401);
    expect(await post({ 'x-sluice-signature': emptyKeyHmac })).toBe(401);
    await new Promise((r) => setTimeout(r, 2500));
    const after = await watcher();
    expect(after.webhooks).toBe(before.webhooks);
    expect(after.lastSeenSha).toBe(before.lastSeenSha);
    await expect(
      w.client.workflow.getHandle(`app/default/forged-${suffix}`).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const warnings = logs.filter((l) => l.msg.startsWith('webhook secret is empty'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({ repoId: id, hint: expect.stringMatching(/non-empty/) });
  });
});

describe('the sluice binary with a password in a repository URL (issue 12, finding 8)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sec-url-'));
  const file = join(dir, 'sluice-worker.yaml');
  const password = `hunter2-${suffix}`;
  writeFileSync(
    file,
    `repositories:\n  - id: shop\n    url: https://bob:${password}@git.example.com/team/shop.git\n`,
  );

  it('repo list shows the URL as ***@ in every format, and says the worker refuses it', async () => {
    for (const format of ['table', 'json', 'yaml']) {
      const r = await sluice(['repo', 'list', '--config', file, '-o', format]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('https://***@git.example.com/team/shop.git');
      expect(r.stdout + r.stderr).not.toContain(password);
      expect(r.stderr).toMatch(/worker refuses this file: .*repositories\[shop\]\.url.*embeds credentials/);
    }
  });

  it('repo add and sluice worker refuse it without printing the password', async () => {
    const add = await sluice([
      'repo',
      'add',
      'other',
      `https://bob:${password}@git.example.com/team/other.git`,
      '--config',
      join(dir, 'new.yaml'),
      '--no-check',
    ]);
    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(/embeds credentials/);
    const worker = await sluice(['worker', '--config', file]);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/repositories\[shop\]\.url: .*embeds credentials/);
    expect(add.stdout + add.stderr + worker.stdout + worker.stderr).not.toContain(password);
  });
});

describe('an API key is never sent without TLS (issue 12, finding 8)', () => {
  // A plaintext gRPC (h2c) "frontend" that records the headers it is sent: what anyone on the path would see.
  // (Before, `tls: false` with a key was accepted, and then silently overridden: the Temporal SDK turns TLS
  // on for any API key unless told `tls: false` itself. Now the combination is refused before connecting.)
  let server: Http2Server;
  const seen: Record<string, unknown>[] = [];
  let address: string;
  const apiKey = `key-${suffix}-do-not-leak`;

  beforeAll(async () => {
    server = createServer();
    server.on('stream', (stream, headers) => {
      seen.push(headers);
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'no' },
        { endStream: true },
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server?.close(() => r())));

  it('sluice worker with TLS off and an API key exits 2 with a hint; the frontend never sees the key', async () => {
    const env = {
      SLUICE_TEMPORAL_ADDRESS: address,
      SLUICE_TEMPORAL_API_KEY: apiKey,
      SLUICE_TEMPORAL_TLS: 'false',
      SLUICE_TASK_QUEUE: `sec-tls-${suffix}`,
    };
    const r = await sluice(['worker'], env, 20_000);
    expect(JSON.stringify(seen)).not.toContain(apiKey);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /API key .* never sent without TLS, and TLS is off \(SLUICE_TEMPORAL_TLS=false\)/,
    );
    expect(r.stderr).toMatch(/need TLS/);
  });

  it('the CLI with TLS off and an API key is a usage error with a hint, and connects to nothing', async () => {
    const byEnv = await sluice(['app', 'list'], {
      SLUICE_TEMPORAL_ADDRESS: address,
      SLUICE_TEMPORAL_API_KEY: apiKey,
      SLUICE_TEMPORAL_TLS: 'false',
    });
    const byFlag = await sluice(['--tls', 'false', 'app', 'list'], {
      SLUICE_TEMPORAL_ADDRESS: address,
      SLUICE_TEMPORAL_API_KEY: apiKey,
    });
    for (const r of [byEnv, byFlag]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^sluice: an API key is never sent without TLS/m);
      expect(r.stderr).toMatch(/^hint: .*need TLS/m);
    }
    expect(seen).toEqual([]);
  });
});

describe('control characters from outside reach the terminal escaped (issue 12, finding 8)', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const name = `sec-esc-${suffix}`;
  const repo = servedRepo('sec-esc');
  // Clear the screen, retitle the window, write the clipboard (OSC 52), and hide the rest: from a pipeline file.
  const hostile = `deploy${ESC}[2J${ESC}]0;owned${ESC}\\${ESC}]52;c;Y3VybCBldmlsIHwgc2g=\x07${ESC}[8m`;

  beforeAll(async () => {
    w = await startTestWorker('sec-esc');
    repo.commit({ 'deploy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
    await startApp(w.client, w.taskQueue, {
      name,
      project: 'default',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path: hostile, render: { plugin: 'directory' } },
        destination: { namespace: name },
      },
    });
  });
  afterAll(async () => {
    await w?.client.workflow
      .getHandle(`app/test/${name}`)
      .terminate('test done')
      .catch(() => {});
    await w?.stop();
  });

  it('a failed sync’s message, printed by app sync and in the app history table, shows ESC as \\u001b', async () => {
    const sync = await sluice(['app', 'sync', `test/${name}`]);
    expect(sync.code, sync.stderr).toBe(1);
    const history = await sluice(['app', 'history', `test/${name}`]);
    expect(history.code, history.stderr).toBe(0);
    for (const r of [sync, history]) {
      expect(r.stdout + r.stderr).not.toContain(ESC);
      expect(r.stdout + r.stderr).not.toContain('\x07');
      expect(r.stdout).toContain(
        'deploy\\u001b[2J\\u001b]0;owned\\u001b\\\\u001b]52;c;Y3VybCBldmlsIHwgc2g=\\u0007\\u001b[8m',
      );
    }
    // -o json keeps the value exactly (JSON escapes it; the guard leaves JSON as it is).
    const json = await sluice(['app', 'get', `test/${name}`, '-o', 'json']);
    expect(json.stdout).not.toContain(ESC);
    const status = JSON.parse(json.stdout) as { lastSync?: { message?: string } };
    expect(status.lastSync?.message).toContain(hostile);
  });

  it('a table cell from a config file is escaped too (repo list)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-sec-esc-'));
    const file = join(dir, 'w.yaml');
    writeFileSync(
      file,
      'repositories:\n  - id: esc\n    url: "https://git.example.com/a\\e[2J\\e]0;owned\\a.git"\n',
    );
    const r = await sluice(['repo', 'list', '--config', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).toContain('https://git.example.com/a\\u001b[2J\\u001b]0;owned\\u0007.git');
  });
});
