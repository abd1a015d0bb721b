import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../scripts/stack/simulators/slack-api.js';
import { applicationStatusQuery, historyQuery } from '../../workflows/application/messages.js';
import { SluicePhase } from '../../workflows/shared/search-attributes.js';
import { waitFor } from '../helpers/wait-for.js';
import { startApp, TEST_REPO, waitForStatus } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { kubectl } from './helpers/kubectl.js';
import { configMapYaml, deploymentYaml } from './helpers/manifests.js';
import { recordHistory } from './helpers/record-history.js';
import { sluice } from './helpers/sluice-cli.js';
import { startTestWorker } from './helpers/test-worker.js';

const SLACK_TOKEN = `xoxb-${randomUUID()}`;
const SECRET = `slacksuspend${Date.now().toString(36)}`;

// An incident: an operator suspends an application with the CLI, hotfixes a managed object by hand and a new
// commit lands; neither self-heal nor auto-sync touches the cluster until resume, which heals and syncs at once.
// Run `npm run build` first: the CLI runs from dist/.
describe('app suspend / resume', () => {
  const suffix = Date.now().toString(36);
  const ns = `suspend-${suffix}`;
  const name = `web-${suffix}`;
  const repo = servedRepo('app-suspend');
  const kube = testKube();
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let slack: FakeSlack;
  let app: Awaited<ReturnType<typeof startApp>>;
  const color = async () =>
    (await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-config' })).data?.color;
  const slackText = () => slack.messages.map((m) => JSON.stringify(m.blocks));

  beforeAll(async () => {
    process.env[`SLUICE_SECRET_${SECRET.toUpperCase()}_TOKEN`] = SLACK_TOKEN;
    slack = await startFakeSlack({ token: SLACK_TOKEN });
    w = await startTestWorker('app-suspend', { slackApiUrl: slack.url });
  });
  afterAll(async () => {
    await app?.terminate('test done').catch(() => undefined);
    await w?.stop();
    await slack?.close();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('keeps a hotfix and a new commit off the cluster while suspended, and applies both at resume', async () => {
    const sha1 = repo.commit({
      'web/deployment.yaml': deploymentYaml('web', { replicas: 1 }),
      'web/config.yaml': configMapYaml('web-config', { color: 'blue' }),
    });
    app = await startApp(
      w.client,
      w.taskQueue,
      {
        name,
        project: 'default',
        revision: 'test',
        source: 'test',
        spec: {
          source: { repoURL: repo.url, targetRevision: 'main', path: 'web', render: { plugin: 'directory' } },
          destination: { namespace: ns },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
          alerts: [{ name: 'team', providerRef: { name: 'team-slack' }, severity: 'info' }],
        },
        alertProviders: {
          'default/team-slack': {
            type: 'slack',
            channel: 'C0SUSPEND',
            secretRef: { name: SECRET, key: 'token' },
          },
        },
      },
      '2s', // a refresh every 2 s: several cycles pass while suspended
    );
    await waitForStatus(app, 'first sync', (s) => s.syncedRevision === sha1 && s.health === 'Healthy');
    const target = `${TEST_REPO}/${name}`;

    // Resume of an application that is not suspended, and a suspension without a reason, are refused (exit 2).
    const notSuspended = await sluice(['app', 'resume', target]);
    expect(notSuspended.code, notSuspended.stderr).toBe(2);
    expect(notSuspended.stderr).toContain('it is not suspended');

    const suspend = await sluice([
      'app',
      'suspend',
      target,
      '--by',
      'alice',
      '--reason',
      'INC-42 hotfix on web-config',
    ]);
    expect(suspend.code, suspend.stderr).toBe(0);
    expect(suspend.stdout).toContain('suspended by alice');
    const again = await sluice(['app', 'suspend', target, '--reason', 'twice']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already suspended by alice');

    const historyBefore = (await app.query(historyQuery)).length;
    kubectl('-n', ns, 'patch', 'configmap', 'web-config', '--type=merge', '-p', '{"data":{"color":"red"}}');
    const sha2 = repo.commit({
      'web/config.yaml': configMapYaml('web-config', { color: 'green', size: 'l' }),
    });
    // The new commit is seen (OutOfSync) but not applied; the hotfix stays through live events and refreshes.
    const seen = await waitForStatus(app, 'the new commit seen', (s) => s.sourceRevision === sha2, 20_000);
    expect(seen.syncStatus).toBe('OutOfSync');
    await new Promise((r) => setTimeout(r, 8000)); // four refreshes, and the live events of the patch
    const during = await app.query(applicationStatusQuery);
    expect(during).toMatchObject({ syncedRevision: sha1, syncStatus: 'OutOfSync' });
    expect(during.suspended).toMatchObject({ by: 'alice', reason: 'INC-42 hotfix on web-config' });
    expect(during.suspended?.identity).toMatch(/@/); // the CLI's Temporal client identity (pid@host)
    expect(await color()).toBe('red');
    expect(await app.query(historyQuery)).toHaveLength(historyBefore);
    // The Temporal UI lists it by SluicePhase.
    const described = await app.describe();
    expect(described.typedSearchAttributes.get(SluicePhase)).toBe('Suspended');

    // Shown by `app get` and `app list` with who and why.
    const get = await sluice(['app', 'get', target]);
    expect(get.stdout).toMatch(/Suspended:\s+by alice at \S+: INC-42 hotfix on web-config/);
    const list = await sluice(['app', 'list']);
    const row = list.stdout.split('\n').find((l) => l.startsWith(name));
    expect(row).toContain('alice: INC-42 hotfix on web-config');
    expect(list.stdout.split('\n')[0]).toMatch(/SUSPENDED/i);

    // Alerted through the application's Slack provider, with who and why.
    await waitFor('the suspended alert in Slack', async () =>
      slackText().some((t) => t.includes('suspended by alice') && t.includes('INC-42 hotfix on web-config')),
    );

    const resume = await sluice(['app', 'resume', target, '--by', 'bob', '--reason', 'INC-42 fixed in Git']);
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stdout).toContain('resumed by bob (suspended by alice');
    // Resume looks at once: the new commit is applied (which also puts the hotfixed field back to Git's).
    const after = await waitForStatus(
      app,
      'synced after resume',
      (s) => s.syncedRevision === sha2 && s.syncStatus === 'Synced',
      20_000,
    );
    expect(after.suspended).toBeUndefined();
    expect(await color()).toBe('green');
    await waitFor('the resumed alert in Slack', async () =>
      slackText().some((t) => t.includes('resumed by bob') && t.includes('INC-42 fixed in Git')),
    );
    expect((await app.describe()).typedSearchAttributes.get(SluicePhase)).toBeUndefined();

    // Self-heal is back: a hand edit now is healed.
    kubectl('-n', ns, 'patch', 'configmap', 'web-config', '--type=merge', '-p', '{"data":{"color":"red"}}');
    await waitFor('the hand edit healed', async () => (await color()) === 'green', 20_000, 200);
    await recordHistory(w.client, app.workflowId, 'application-suspended-and-resumed', {
      secrets: [SLACK_TOKEN],
    });
  });
});
