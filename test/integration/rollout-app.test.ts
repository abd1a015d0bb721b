import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import type { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { type FakeSlack, startFakeSlack } from '../../scripts/stack/simulators/slack-api.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { promoteUpdate, rolloutStatusQuery } from '../../workflows/rollout/messages.js';
import { failedRun } from '../helpers/runs.js';
import { waitFor } from '../helpers/wait-for.js';
import { waitForAppRollout } from './helpers/app.js';
import { endTestWorkflows } from './helpers/end-workflows.js';
import { servedRepo } from './helpers/git-repo.js';
import { deploymentImage, orMissing, testKube } from './helpers/kube.js';
import { childWorkflowIds, recordHistory } from './helpers/record-history.js';
import { startRepoWatcher } from './helpers/repo-watcher.js';
import { rolloutTarget, routesOf } from './helpers/rollout.js';
import {
  istioCanaryRolloutYaml,
  rolloutApplicationYaml,
  webDeploymentYaml,
} from './helpers/rollout-files.js';
import { startRolloutTelemetry } from './helpers/rollout-telemetry.js';
import { startTestWorker } from './helpers/test-worker.js';

const SLACK_TOKEN = `xoxb-${randomUUID()}`;
const SECRET = `slack${Date.now().toString(36)}`;

// The whole path a user takes: pipeline files in Git → repository watcher → application sync →
// rollout of each new revision (istio, Prometheus analysis of the telemetry fixture) → Slack thread.
describe('progressive delivery from Git', () => {
  const suffix = Date.now().toString(36);
  const ns = `rollapp-${suffix}`;
  const repo = servedRepo('rollout-app');
  const kube = testKube();
  const repoId = `rollout-app-${suffix}`;
  const appId = applicationWorkflowId(repoId, `web-${suffix}`);
  let env: Awaited<ReturnType<typeof startTestWorker>>;
  let slack: FakeSlack;
  let telemetry: MeshTelemetry;

  // The canary at 50 %, its analysis alerting the team's Slack channel.
  const pipelineFiles = `${rolloutApplicationYaml(`web-${suffix}`, repo.url, ns)}---
${istioCanaryRolloutYaml()}    alerts:
      - name: team
        providerRef: {name: team-slack}
---
apiVersion: sluice.dev/v1alpha1
kind: AlertProvider
metadata:
  name: team-slack
spec:
  type: slack
  channel: C0ROLLOUT
  secretRef: {name: ${SECRET}, key: token}
`;
  /** The same pipeline files with a canary that pauses at 20 % until promoted. */
  const paused = pipelineFiles.replace(
    'canary: {stepWeights: [50]}',
    'canary: {steps: [{setWeight: 20}, {pause: {}}, {setWeight: 60}]}',
  );
  const appStatus = () => env.client.workflow.getHandle(appId).query(applicationStatusQuery);
  const rolloutOf = (sha: string, phase: (p: string) => boolean) =>
    waitForAppRollout(env.client, appId, sha, phase);
  const image = (name: string) => deploymentImage(kube, ns, name);

  beforeAll(async () => {
    process.env[`SLUICE_SECRET_${SECRET.toUpperCase()}_TOKEN`] = SLACK_TOKEN;
    slack = await startFakeSlack({ token: SLACK_TOKEN });
    env = await startTestWorker('rollout-app', { slackApiUrl: slack.url });
    telemetry = await startRolloutTelemetry(env.deps, rolloutTarget(ns, 'web', 'istio'));
  });
  afterAll(async () => {
    // Rollouts outlive their application (ABANDON): end any this test left running.
    await endTestWorkflows(env?.client, { apps: [`web-${suffix}`], ids: [repoWatcherId(repoId), appId] });
    await telemetry?.stop();
    await env?.stop();
    await slack?.close();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('initialises on the first commit, promotes a good revision and rolls back a bad one, in Slack threads', async () => {
    const sha1 = repo.commit({
      'pipelines/web.yaml': pipelineFiles,
      'manifests/deployment.yaml': webDeploymentYaml('web:1'),
    });
    await startRepoWatcher(env, repoId, repo.url);
    const init = await rolloutOf(sha1, (p) => p === 'Initialized' || p === 'Failed');
    expect(init.phase, init.message).toBe('Initialized');
    expect(await image('web-primary')).toBe('web:1');
    expect((await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).spec?.replicas).toBe(0);

    const sha2 = repo.commit({ 'manifests/deployment.yaml': webDeploymentYaml('web:2') });
    const good = await rolloutOf(sha2, (p) => p === 'Succeeded' || p === 'Failed');
    expect(good.phase, good.message).toBe('Succeeded');
    expect(await image('web-primary')).toBe('web:2');
    // The sync leaves the parked canary at zero: replicas are the rollout's.
    expect((await appStatus()).syncStatus).toBe('Synced');
    expect((await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).spec?.replicas).toBe(0);

    const threadOf = (sha: string) =>
      waitFor(`a Slack thread for ${sha.slice(0, 7)}`, async () =>
        slack.parents('C0ROLLOUT').find((m) => JSON.stringify(m).includes(sha.slice(0, 7))),
      );
    const goodThread = await threadOf(sha2);
    const goodReplies = await waitFor('the promotion reply', async () => {
      const replies = slack.replies('C0ROLLOUT', goodThread.ts);
      return replies.some((r) => /promoted/.test(r.text)) && replies;
    });
    expect(goodReplies.map((r) => r.text).join('\n')).toMatch(/weight 50%/);
    expect(goodThread.updates).toBeGreaterThanOrEqual(1); // the parent shows the final state

    telemetry.setVersion(ns, 'web', { errorRate: 0.6 });
    // The canary's series are per workload, like a mesh's: let the good revision's canary traffic age out of
    // the 10 s query window first, or the bad revision's first round would still see it (Flagger has the same
    // property; its intervals are minutes).
    await new Promise((r) => setTimeout(r, 11_000));
    const sha3 = repo.commit({ 'manifests/deployment.yaml': webDeploymentYaml('web:3') });
    const bad = await rolloutOf(sha3, (p) => p === 'Succeeded' || p === 'Failed');
    expect(bad.phase).toBe('Failed');
    expect(bad.failed?.name).toBe('request-success-rate');
    // The rollback failed its workflow (red in the UI); the application read its status from the failure.
    const badRun = await failedRun(env.client.workflow.getHandle(bad.workflowId), 'RolloutRolledBack');
    expect(badRun).toMatchObject({
      phase: 'Failed',
      checksum: bad.checksum,
      failed: { name: 'request-success-rate' },
    });
    expect(await image('web-primary')).toBe('web:2');
    const badThread = await threadOf(sha3);
    const rolledBack = await waitFor('the rollback reply', async () =>
      slack.replies('C0ROLLOUT', badThread.ts).find((r) => /rolled back/.test(r.text)),
    );
    expect(rolledBack.text).toMatch(/request-success-rate \d+(\.\d+)?/);
    expect(slack.parents('C0ROLLOUT').filter((m) => m.thread_ts === undefined).length).toBe(3);

    // For the replay test: the running application (three syncs, three rollouts), the sync of the good
    // revision (which preceded its rollout), and the rollout of the bad revision that rolled back.
    const children = await childWorkflowIds(env.client, appId);
    const syncOf = (sha: string) =>
      children.find((id) => id.startsWith('sync/') && id.includes(`/${sha.slice(0, 7)}-`));
    const secrets = [SLACK_TOKEN];
    await recordHistory(env.client, appId, 'application-syncs-and-rollouts', { secrets });
    await recordHistory(env.client, syncOf(sha2) ?? 'no sync of sha2', 'sync-in-application-with-rollout', {
      secrets,
    });
    await recordHistory(env.client, bad.workflowId, 'rollout-rolled-back-with-alerts', { secrets });
  });

  it('restarts from step one when a newer revision arrives mid-rollout', async () => {
    telemetry.setVersion(ns, 'web', { errorRate: 0 });
    const sha4 = repo.commit({
      'pipelines/web.yaml': paused,
      'manifests/deployment.yaml': webDeploymentYaml('web:4'),
    });
    const first = await rolloutOf(sha4, (p) => p === 'Progressing' || p === 'Paused');
    const firstHandle = env.client.workflow.getHandle(first.workflowId);
    await waitFor('the first rollout to pause at 20%', async () => {
      const s = await firstHandle.query(rolloutStatusQuery);
      return s.phase === 'Paused' && s.canaryWeight === 20;
    });
    const sha5 = repo.commit({ 'manifests/deployment.yaml': webDeploymentYaml('web:5') });
    const superseded = await firstHandle.result();
    expect(superseded.phase).toBe('Superseded');
    expect(superseded.message).toContain(sha5.slice(0, 7));
    // The application records a rollout's start and end; the rollout itself answers how far it is.
    const second = await rolloutOf(sha5, () => true);
    const secondHandle = env.client.workflow.getHandle(second.workflowId);
    const atPause = await waitFor('the second rollout to pause', async () => {
      const s = await secondHandle.query(rolloutStatusQuery);
      return s.phase === 'Paused' && s;
    });
    expect(atPause).toMatchObject({ step: 1, canaryWeight: 20 });
    const promoted = await secondHandle.executeUpdate(promoteUpdate, { args: [{}] });
    expect(promoted.phase).toBe('Succeeded');
    expect(await image('web-primary')).toBe('web:5');
  });

  it('hands the workload back when the Application stops naming its Rollout', async () => {
    // The last test left web:5 promoted on the primary and the target parked at zero.
    const shaN = repo.commit({
      'pipelines/web.yaml': pipelineFiles.replace('  rollout: web\n', ''),
      'manifests/deployment.yaml': webDeploymentYaml('web:5b'),
    });
    await waitFor(
      'web-primary to be deleted',
      async () =>
        (await orMissing(kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web-primary' }))) ===
        undefined,
      120_000,
      500,
    );
    // The deletion is the hand-back's last activity; the application records it once that activity returns,
    // and records the sync's revision after that (the rollout can be cleared a moment before).
    const status = await waitFor('the application to record the hand-back and the sync', async () => {
      const s = await appStatus();
      return s.rollout === undefined && s.syncedRevision === shaN && s;
    });
    expect(status.rolloutError).toBeUndefined();
    // The user's Deployment serves Git's version at Git's replicas, and every Service name leads to it.
    const web = await kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web' });
    expect(web.spec?.replicas).toBe(2);
    expect(web.status?.readyReplicas).toBe(2);
    expect(await image('web')).toBe('web:5b');
    for (const name of ['web', 'web-primary', 'web-canary'])
      expect((await kube.core.readNamespacedService({ namespace: ns, name })).spec?.selector).toEqual({
        app: 'web',
      });
    // The mesh route sends everything to web-primary, which now selects the target's pods.
    expect(await routesOf(env.deps, rolloutTarget(ns, 'web', 'istio'))()).toMatchObject({
      primaryWeight: 100,
      canaryWeight: 0,
    });
  });

  it('keeps syncing when the Rollout names a Deployment the manifests lack, and says why', async () => {
    const wrong = pipelineFiles.replace('targetRef: {name: web}', 'targetRef: {name: nowhere}');
    const sha6 = repo.commit({
      'pipelines/web.yaml': wrong,
      'manifests/deployment.yaml': webDeploymentYaml('web:6'),
    });
    const status = await waitFor('the sync of the commit and the rollout error', async () => {
      const s = await appStatus();
      return s.syncedRevision === sha6 && s.rolloutError ? s : undefined;
    });
    expect(status.rolloutError).toMatch(/nowhere.*does not exist/);
    expect(status.phase).toBe('Watching');
  });

  it('deletes what the Application and its rollout made when the Application is removed from Git (prune on)', async () => {
    // Back to a good target and a rollout parked at a pause, so there is a running rollout to stop.
    // The Rollout again (an earlier test handed the workload back): it initialises a new primary first.
    const sha6b = repo.commit({
      'pipelines/web.yaml': pipelineFiles,
      'manifests/deployment.yaml': webDeploymentYaml('web:6b'),
    });
    const init = await rolloutOf(sha6b, (p) => p === 'Initialized' || p === 'Failed');
    expect(init.phase, init.message).toBe('Initialized');
    const sha7 = repo.commit({
      'pipelines/web.yaml': paused,
      'manifests/deployment.yaml': webDeploymentYaml('web:7'),
      'manifests/keep.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  annotations: {sluice.dev/prune: "false"}\ndata: {a: b}\n',
    });
    const rollout = await rolloutOf(sha7, (p) => p === 'Progressing' || p === 'Paused');
    await waitFor('the rollout to pause at 20%', async () => {
      const r = await env.client.workflow.getHandle(rollout.workflowId).query(rolloutStatusQuery);
      return r.phase === 'Paused';
    });
    const before = await Promise.all([
      kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web-primary' }),
      kube.core.readNamespacedService({ namespace: ns, name: 'web-canary' }),
      env.deps.kube.objects.read({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { namespace: ns, name: 'web' },
      }),
    ]);
    expect(before.every((o) => o.metadata?.name)).toBe(true);

    // A job metric's Job left behind (its analysis activity died and was never retried): labelled, so removed.
    await env.deps.kube.objects.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'sluice-smoke-left', namespace: ns, labels: { 'sluice.dev/rollout': 'web' } },
      spec: {
        backoffLimit: 0,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 't', image: 'busybox' }] } },
      },
    } as never);

    // Only the AlertProvider stays in the folder: the Application and its Rollout are gone.
    repo.commit({ 'pipelines/web.yaml': pipelineFiles.slice(pipelineFiles.lastIndexOf('---\n') + 4) });
    const app = env.client.workflow.getHandle(appId);
    const final = await app.result();
    expect(final.phase).toBe('Stopped');
    expect(final.removal?.mode).toBe('deleted');
    expect(final.removal?.deleted).toEqual(
      expect.arrayContaining([
        `Deployment ${ns}/web-primary`,
        `Service ${ns}/web-canary`,
        `VirtualService ${ns}/web`,
        `DestinationRule ${ns}/web-primary`,
        `Job ${ns}/sluice-smoke-left`,
      ]),
    );
    expect(final.removal?.kept.join('\n')).toMatch(/keep.*sluice\.dev\/prune: "false"/);
    // The parked rollout was stopped so it cannot re-create what was deleted.
    expect((await env.client.workflow.getHandle(rollout.workflowId).describe()).status.name).toBe(
      'TERMINATED',
    );
    const reads: Record<string, () => Promise<unknown>> = {
      'Deployment web': () => kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web' }),
      'Deployment web-primary': () =>
        kube.apps.readNamespacedDeployment({ namespace: ns, name: 'web-primary' }),
      'Service web': () => kube.core.readNamespacedService({ namespace: ns, name: 'web' }),
      'Job sluice-smoke-left': () =>
        env.deps.kube.objects.read({
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { namespace: ns, name: 'sluice-smoke-left' },
        }),
      'Service web-primary': () => kube.core.readNamespacedService({ namespace: ns, name: 'web-primary' }),
      'Service web-canary': () => kube.core.readNamespacedService({ namespace: ns, name: 'web-canary' }),
      'VirtualService web': () =>
        env.deps.kube.objects.read({
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { namespace: ns, name: 'web' },
        }),
    };
    await waitFor(
      'the objects to be gone',
      async () => {
        const left: string[] = [];
        for (const [what, read] of Object.entries(reads))
          if ((await orMissing(read())) !== undefined) left.push(what);
        if (left.length > 0) throw new Error(`still there: ${left.join(', ')}`);
        return true;
      },
      60_000,
      500,
    );
    expect((await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'keep' })).data).toEqual({
      a: 'b',
    });
  });
});
