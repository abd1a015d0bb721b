import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { applicationYaml } from './helpers/pipeline-yaml.js';
import { startTestWorker } from './helpers/test-worker.js';

/** Every string and every decoded byte payload in a history, joined: what anyone reading the history could see. */
function historyText(value: unknown): string {
  // Walk the messages themselves: their toJSON would show payload bytes as base64.
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(historyText).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(historyText).join('\n');
  return '';
}

describe('private repositories', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const suffix = Date.now().toString(36);
  const user = `deploy-${suffix}`;
  const password = `pw-${suffix}-Zq7`;
  const repo = servedRepo('private', { private: { user, password } });
  const secretName = `creds-${suffix}`;
  const env = (key: string) => `SLUICE_SECRET_CREDS_${suffix.toUpperCase()}_${key}`;

  beforeAll(async () => {
    appendFileSync(stackPaths(loadStackConfig()).gitUsers, `${user}:${password}\n`);
    process.env[env('USERNAME')] = user;
    process.env[env('PASSWORD')] = password;
    w = await startTestWorker('private');
  });
  afterAll(async () => {
    for (const id of [
      `repo/private-${suffix}`,
      `repo/private-bad-${suffix}`,
      applicationWorkflowId('private', `secret-app-${suffix}`),
    ]) {
      await w.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    }
    await w.stop();
  });

  it('clones with credentials from a secretRef, and the credentials never reach the workflow history', async () => {
    const sha = repo.commit({ 'app.yaml': applicationYaml(`secret-app-${suffix}`) });
    const watcher = await w.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: `repo/private-${suffix}`,
      args: [
        {
          repoId: 'private',
          repo: { url: repo.url, revision: 'main', path: '.', secretRef: { name: secretName } },
          pollInterval: '1m',
        },
      ],
    });
    const app = w.client.workflow.getHandle(applicationWorkflowId('private', `secret-app-${suffix}`));
    await waitFor('the app', async () => (await app.query(applicationStatusQuery)).revision === sha);
    // The watcher's input carries the secret's name: proof that decoded payloads are searched.
    expect(historyText(await watcher.fetchHistory())).toContain(`"secretRef":{"name":"${secretName}"}`);
    for (const handle of [watcher, app]) {
      const history = historyText(await handle.fetchHistory());
      expect(history).not.toContain(password);
      expect(history).not.toContain(Buffer.from(password).toString('base64'));
    }
  });

  it('reports refused credentials clearly, without the password', async () => {
    process.env[`SLUICE_SECRET_WRONG_${suffix.toUpperCase()}_USERNAME`] = user;
    process.env[`SLUICE_SECRET_WRONG_${suffix.toUpperCase()}_PASSWORD`] = 'not-it';
    const handle = await w.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: `repo/private-bad-${suffix}`,
      args: [
        {
          repoId: 'private-bad',
          repo: { url: repo.url, revision: 'main', path: '.', secretRef: { name: `wrong-${suffix}` } },
        },
      ],
    });
    const error = await waitFor(
      'the auth error',
      async () => (await handle.query(repoStatusQuery)).lastError,
    );
    expect(error).toContain('refused the credentials');
    expect(error).toContain(repo.url);
    expect(error).not.toContain('not-it');
  });
});
