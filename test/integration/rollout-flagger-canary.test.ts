import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import type { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { waitFor } from '../helpers/wait-for.js';
import { waitForAppRollout } from './helpers/app.js';
import { endTestWorkflows } from './helpers/end-workflows.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { startRepoWatcher } from './helpers/repo-watcher.js';
import { rolloutTarget } from './helpers/rollout.js';
import { rolloutApplicationYaml, webDeploymentYaml } from './helpers/rollout-files.js';
import { startRolloutTelemetry } from './helpers/rollout-telemetry.js';
import { startTestWorker } from './helpers/test-worker.js';

// A Flagger Canary as clusters have it (no spec.provider: the mesh was chosen at Flagger's install), with an
// Istio trafficPolicy, retries and session affinity with a sticky primary cookie, committed to Git beside a Sluice Application. The worker's
// rollouts.defaultProvider (istio) stands in for Flagger's meshProvider; the rollout runs on the stack and the
// VirtualService / DestinationRules carry those fields at each stage.
describe('a converted Flagger Canary rolls out with its routing fields', () => {
  const suffix = Date.now().toString(36);
  const ns = `flagger-${suffix}`;
  const repoId = `flagger-canary-${suffix}`;
  const repo = servedRepo('flagger-canary');
  const kube = testKube();
  const appId = applicationWorkflowId(repoId, `web-${suffix}`);
  let env: Awaited<ReturnType<typeof startTestWorker>>;
  let telemetry: MeshTelemetry;

  const pipelineFiles = `${rolloutApplicationYaml(`web-${suffix}`, repo.url, ns)}---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: web
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  service:
    port: 80
    targetPort: 8080
    trafficPolicy:
      tls: {mode: ISTIO_MUTUAL}
    retries: {attempts: 3, perTryTimeout: 1s, retryOn: "gateway-error,connect-failure"}
  analysis:
    interval: 3s
    threshold: 2
    stepWeights: [30, 60]
    sessionAffinity: {cookieName: flagger-cookie, maxAge: 600, primaryCookieName: primary-cookie}
    metrics:
      - name: request-success-rate
        thresholdRange: {min: 99}
        interval: 10s
`;
  const rolloutOf = (sha: string, phase: (p: string) => boolean) =>
    waitForAppRollout(env.client, appId, sha, phase);
  type Http = {
    name?: string;
    retries?: unknown;
    route: { destination: { host: string }; weight: number; headers?: unknown }[];
  }[];
  const virtualService = async () =>
    (await env.deps.kube.objects.read({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'web', namespace: ns },
    })) as { metadata?: { annotations?: Record<string, string> }; spec?: { http?: Http } };
  const destinationRule = async (name: string) =>
    (await env.deps.kube.objects.read({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name, namespace: ns },
    })) as { spec?: Record<string, unknown> };

  beforeAll(async () => {
    env = await startTestWorker('flagger-canary', { defaultTrafficProvider: 'istio' });
    // The telemetry fixture reads the weights as the provider does (sticky route aside).
    const target = rolloutTarget(ns, 'web', 'istio');
    target.service.sessionAffinity = { cookieName: 'flagger-cookie', maxAge: 600 };
    telemetry = await startRolloutTelemetry(env.deps, target);
  });
  afterAll(async () => {
    await endTestWorkflows(env?.client, { apps: [`web-${suffix}`], ids: [repoWatcherId(repoId), appId] });
    await telemetry?.stop();
    await env?.stop();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('initialises and promotes with trafficPolicy, retries and the sticky cookie in the routing objects', async () => {
    const sha1 = repo.commit({
      'pipelines/web.yaml': pipelineFiles,
      'manifests/deployment.yaml': webDeploymentYaml('web:1'),
    });
    await startRepoWatcher(env, repoId, repo.url);
    const init = await rolloutOf(sha1, (p) => p === 'Initialized' || p === 'Failed');
    expect(init.phase, init.message).toBe('Initialized');
    for (const host of ['web-primary', 'web-canary'])
      expect((await destinationRule(host)).spec).toEqual({
        host,
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      });

    const sha2 = repo.commit({ 'manifests/deployment.yaml': webDeploymentYaml('web:2') });
    // While the canary gets traffic: a sticky route sends the cookie's holders to it, canary responses set it.
    const during = await waitFor(
      'the sticky route while the canary gets traffic',
      async () => {
        const v = await virtualService();
        const http = v.spec?.http ?? [];
        return http[0]?.name === 'sticky-route' && http[0].route[1]?.weight === 100 ? v : undefined;
      },
      120_000,
      100,
    );
    const cookie = during.metadata?.annotations?.['sluice.dev/session-cookie'] ?? '';
    expect(cookie).toMatch(/^flagger-cookie=[0-9a-f]{24}$/);
    const http = during.spec?.http ?? [];
    expect(http[2]?.route[1]?.headers).toEqual({
      response: { add: { 'Set-Cookie': `${cookie}; Max-Age=600` } },
    });
    // primaryCookieName: primary responses set a cookie for one analysis interval (3s), whose holders stay there.
    const primary = during.metadata?.annotations?.['sluice.dev/primary-session-cookie'] ?? '';
    expect(primary).toMatch(/^primary-cookie=[0-9a-f]{24}$/);
    expect(http[1]?.name).toBe('sticky-primary-route');
    expect(http[1]?.route.map((r) => [r.destination.host, r.weight])).toEqual([
      ['web-primary', 100],
      ['web-canary', 0],
    ]);
    expect(http[2]?.route[0]?.headers).toEqual({
      response: { add: { 'Set-Cookie': `${primary}; Max-Age=3` } },
    });
    for (const route of http)
      expect(route.retries).toEqual({
        attempts: 3,
        perTryTimeout: '1s',
        retryOn: 'gateway-error,connect-failure',
      });

    const done = await rolloutOf(sha2, (p) => p === 'Succeeded' || p === 'Failed');
    expect(done.phase, done.message).toBe('Succeeded');
    // Promoted: everyone on the primary, and the run's cookie expired.
    const after = (await virtualService()).spec?.http ?? [];
    expect(after[0]?.route[0]?.headers).toEqual({
      response: { add: { 'Set-Cookie': `${cookie}; Max-Age=-1` } },
    });
    expect(after.map((r) => r.name)).toEqual(['sticky-route', undefined]);
    expect(after[1]?.route.map((r) => r.weight)).toEqual([100, 0]);
  });
});
