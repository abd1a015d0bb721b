import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import {
  type RepositoryConfig,
  repoWatcherId,
  repoWebhookHandlers,
  startRepoWatchers,
} from '../../worker/repositories.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../worker/webhooks/receiver.js';
import { hmacSignature } from '../../worker/webhooks/signature.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { applicationYaml } from './helpers/pipeline-yaml.js';
import { startTestWorker } from './helpers/test-worker.js';

describe('push webhooks wake the repository watcher', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let receiver: WebhookReceiver;
  const suffix = Date.now().toString(36);
  const repo = servedRepo('hooks');
  const hookSecret = `whsec-${suffix}`;
  const config: RepositoryConfig = {
    id: `hooks-${suffix}`,
    url: repo.url,
    revision: 'main',
    path: '.',
    // A poll interval far longer than the test: only a webhook can explain a fast pickup.
    pollInterval: '10m',
    webhookSecretRef: { name: `hooks-${suffix}` },
    projects: ['default'],
  };
  const appId = (name: string) => applicationWorkflowId(config.id, `${name}-${suffix}`);
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${receiver.url}/webhooks/git/${config.id}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const watcherStatus = () => w.client.workflow.getHandle(repoWatcherId(config.id)).query(repoStatusQuery);

  beforeAll(async () => {
    process.env[`SLUICE_SECRET_HOOKS_${suffix.toUpperCase()}_SECRET`] = hookSecret;
    w = await startTestWorker('hooks');
    const handlers = repoWebhookHandlers(w.client, [config], w.deps.secrets);
    receiver = await startWebhookReceiver({ ...handlers, maxBodyBytes: 64 * 1024 });
    const sha = repo.commit({ 'first.yaml': applicationYaml(`first-${suffix}`) });
    await startRepoWatchers(w.client, w.taskQueue, [config]);
    await waitFor('the first commit', async () => (await watcherStatus()).lastValidSha === sha);
  });
  afterAll(async () => {
    await receiver?.close();
    await w.client.workflow
      .getHandle(repoWatcherId(config.id))
      .terminate('test done')
      .catch(() => {});
    for (const n of ['first', 'second', 'third', 'fourth'])
      await w.client.workflow
        .getHandle(appId(n))
        .terminate()
        .catch(() => {});
    await w.stop();
  });

  it('starting the watchers again is idempotent', async () => {
    const before = await w.client.workflow.getHandle(repoWatcherId(config.id)).describe();
    await startRepoWatchers(w.client, w.taskQueue, [config]);
    const after = await w.client.workflow.getHandle(repoWatcherId(config.id)).describe();
    expect(after.runId).toBe(before.runId);
  });

  it('a GitHub-signed push starts the new application within 2 s', async () => {
    const sha = repo.commit({ 'second.yaml': applicationYaml(`second-${suffix}`) });
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha });
    const sent = Date.now();
    const res = await post(body, {
      'x-github-event': 'push',
      'x-hub-signature-256': hmacSignature(hookSecret, Buffer.from(body)),
    });
    expect(res.status).toBe(202);
    await waitFor(
      'second to start',
      async () =>
        (await w.client.workflow.getHandle(appId('second')).query(applicationStatusQuery)).revision === sha,
      5000,
      25,
    );
    expect(Date.now() - sent).toBeLessThan(2000);
  });

  it('GitLab tokens and generic HMAC signatures are accepted too', async () => {
    const gitlab = await post(JSON.stringify({ ref: 'refs/heads/main' }), { 'x-gitlab-token': hookSecret });
    expect(gitlab.status).toBe(202);
    const body = '{}';
    const generic = await post(body, { 'x-sluice-signature': hmacSignature(hookSecret, Buffer.from(body)) });
    expect(generic.status).toBe(202);
  });

  it('a bad or missing signature gets 401 and starts nothing', async () => {
    // Let the wake-ups of the previous test finish, so nothing but this test's requests could move the watcher.
    let polls = -1;
    await waitFor(
      'the watcher to settle',
      async () => {
        const now = (await watcherStatus()).polls;
        const settled = now === polls;
        polls = now;
        return settled;
      },
      10_000,
      700,
    );
    const before = await watcherStatus();
    const sha = repo.commit({ 'third.yaml': applicationYaml(`third-${suffix}`) });
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha });
    const forged = await post(body, {
      'x-hub-signature-256': hmacSignature('not-the-secret', Buffer.from(body)),
    });
    expect(forged.status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { 'x-gitlab-token': 'guess' })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 2500));
    const after = await watcherStatus();
    expect(after.webhooks).toBe(before.webhooks);
    expect(after.lastSeenSha).toBe(before.lastSeenSha);
    await expect(w.client.workflow.getHandle(appId('third')).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });

  it('a body over the size limit gets 413; a push to another branch is ignored; an unknown repository 404', async () => {
    const big = JSON.stringify({ ref: 'refs/heads/main', pad: 'x'.repeat(70 * 1024) });
    expect(
      (await post(big, { 'x-hub-signature-256': hmacSignature(hookSecret, Buffer.from(big)) })).status,
    ).toBe(413);
    const other = JSON.stringify({ ref: 'refs/heads/feature' });
    const res = await post(other, { 'x-hub-signature-256': hmacSignature(hookSecret, Buffer.from(other)) });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { message: string }).message).toContain('ignored: push to feature');
    const unknown = await fetch(`${receiver.url}/webhooks/git/nope`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
  });
});
