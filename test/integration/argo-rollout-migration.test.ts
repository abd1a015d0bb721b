import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import { waitForAppRollout } from './helpers/app.js';
import { endTestWorkflows } from './helpers/end-workflows.js';
import { servedRepo } from './helpers/git-repo.js';
import { deploymentImage, testKube } from './helpers/kube.js';
import { startRepoWatcher } from './helpers/repo-watcher.js';
import { recordWeights, rolloutTarget, routesOf } from './helpers/rollout.js';
import { rolloutApplicationYaml } from './helpers/rollout-files.js';
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
  const appId = applicationWorkflowId(repoId, `web-${suffix}`);
  let env: Awaited<ReturnType<typeof startTestWorker>>;

  const application = rolloutApplicationYaml(`web-${suffix}`, repo.url, ns);
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
  const rolloutOf = (sha: string, done: (p: string) => boolean) =>
    waitForAppRollout(env.client, appId, sha, done);
  const image = (name: string) => deploymentImage(kube, ns, name);

  beforeAll(async () => {
    env = await startTestWorker('argo-migration');
  });
  afterAll(async () => {
    await endTestWorkflows(env?.client, { apps: [`web-${suffix}`], ids: [repoWatcherId(repoId), appId] });
    await env?.stop();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('syncs the Deployment the Rollout stands for and promotes a new image through istio', async () => {
    const sha1 = repo.commit({
      'pipelines/app.yaml': application,
      'manifests/rollout.yaml': argoRollout('web:1'),
    });
    // The watcher reads the whole repository: the Argo Rollout in manifests/ is a pipeline file too.
    await startRepoWatcher(env, repoId, repo.url, '.');
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
