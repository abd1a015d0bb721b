import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { recordWeights, rolloutTarget, routesOf } from './helpers/rollout.js';
import { startTestWorker } from './helpers/test-worker.js';

// A team moving from Argo Rollouts commits its Rollout as it is (inline pod template, canary and stable
// Services, istio routing): Sluice reads it as a Rollout, syncs the Deployment it stands for, and rolls
// each new image out through the istio provider to promotion.
describe('an Argo Rollout, unconverted, from Git', () => {
  const suffix = Date.now().toString(36);
  const ns = `argo-mig-${suffix}`;
  const repoId = `argo-mig-${suffix}`;
  const repo = servedRepo('argo-migration');
  const kube = testKube();
  let env: Awaited<ReturnType<typeof startTestWorker>>;

  const application = `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: web-${suffix}
spec:
  source: {repoURL: ${repo.url}, targetRevision: main, path: manifests}
  destination: {namespace: ${ns}}
  rollout: web
  syncPolicy:
    automated: {prune: true}
    syncOptions: [CreateNamespace=true]
`;
  const argoRollout = (image: string) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${image}
          ports: [{name: http, containerPort: 8080}]
  strategy:
    canary:
      canaryService: web-argo-canary
      stableService: web-argo-stable
      trafficRouting:
        istio:
          virtualService: {name: web-vsvc, routes: [primary]}
      steps:
        - setWeight: 30
        - pause: {duration: 1}
        - setWeight: 60
        - pause: {duration: 1}
---
apiVersion: v1
kind: Service
metadata:
  name: web-argo-stable
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`;
  const appStatus = () =>
    env.client.workflow
      .getHandle(applicationWorkflowId(repoId, `web-${suffix}`))
      .query(applicationStatusQuery);
  const rolloutOf = (sha: string, done: (p: string) => boolean) =>
    waitFor(
      `the rollout of ${sha.slice(0, 7)}`,
      async () => {
        const r = (await appStatus().catch(() => undefined))?.rollout;
        return r && r.revision === sha && done(r.phase) ? r : undefined;
      },
      120_000,
      250,
    );
  const image = async (name: string) =>
    (await kube.apps.readNamespacedDeployment({ namespace: ns, name })).spec?.template.spec?.containers[0]
      ?.image;

  beforeAll(async () => {
    env = await startTestWorker('argo-migration');
  });
  afterAll(async () => {
    for await (const w of env.client.workflow.list({
      query: `SluiceApp = "web-${suffix}" AND ExecutionStatus = "Running"`,
    }))
      await env.client.workflow
        .getHandle(w.workflowId)
        .terminate('test done')
        .catch(() => undefined);
    for (const id of [`repo/${repoId}`, applicationWorkflowId(repoId, `web-${suffix}`)])
      await env.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => undefined);
    await env?.stop();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('syncs the Deployment the Rollout stands for and promotes a new image through istio', async () => {
    const sha1 = repo.commit({
      'pipelines/app.yaml': application,
      'manifests/rollout.yaml': argoRollout('web:1'),
    });
    // The watcher reads the whole repository: the Argo Rollout in manifests/ is a pipeline file too.
    await env.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: env.taskQueue,
      workflowId: `repo/${repoId}`,
      args: [{ repoId, repo: { url: repo.url, revision: 'main', path: '.' }, pollInterval: '2s' }],
    });
    const init = await rolloutOf(sha1, (p) => p === 'Initialized' || p === 'Failed');
    expect(init.phase, init.message).toBe('Initialized');
    expect(await image('web-primary')).toBe('web:1');
    const svc = await kube.core.readNamespacedService({ namespace: ns, name: 'web' });
    expect(svc.spec?.ports?.[0]).toMatchObject({ name: 'http', port: 80 });

    const weights = recordWeights(routesOf(env.deps, rolloutTarget(ns, 'web', 'istio')), 100);
    const sha2 = repo.commit({ 'manifests/rollout.yaml': argoRollout('web:2') });
    const done = await rolloutOf(sha2, (p) => p === 'Succeeded' || p === 'Failed');
    expect(done.phase, done.message).toBe('Succeeded');
    expect(await image('web-primary')).toBe('web:2');
    // The Argo steps drove the istio VirtualService: 30 %, 60 %, then all traffic back on the primary.
    expect(await weights.stop()).toEqual(expect.arrayContaining([30, 60]));
    expect(weights.seen.at(-1)).toBe(0);
  });
});
