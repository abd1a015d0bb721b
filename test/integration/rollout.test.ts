import type { V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import {
  abortUpdate,
  pauseUpdate,
  promoteUpdate,
  resumeUpdate,
  rolloutStatusQuery,
} from '../../workflows/rollout/messages.js';
import type { MetricCheck } from '../../workflows/rollout/types.js';
import { failedRun } from '../helpers/runs.js';
import { testKube } from './helpers/kube.js';
import { recordHistory } from './helpers/record-history.js';
import {
  applyAsSync,
  ensureNamespace,
  recordWeights,
  rolloutTarget,
  routesOf,
  startRollout,
  targetDeployment,
  waitForRollout,
} from './helpers/rollout.js';
import { startTestWorker } from './helpers/test-worker.js';

// Rollouts driven as the application workflow drives them (inspect, then a rollout workflow per new
// revision) against the real API server, the stack's Prometheus and the mesh telemetry fixture.
describe('rollout workflow', () => {
  const config = loadStackConfig();
  const ns = `rollout-${Date.now().toString(36)}`;
  const kube = testKube();
  let env: Awaited<ReturnType<typeof startTestWorker>>;
  let telemetry: MeshTelemetry;

  beforeAll(async () => {
    env = await startTestWorker('rollout');
    await ensureNamespace(env.deps, ns);
    telemetry = await MeshTelemetry.start({ prometheusTargetsDir: stackPaths(config).prometheusTargets });
    // Analysis needs the fixture's series in Prometheus: a fresh stack picks the target up within seconds.
    await telemetry.waitScraped(`http://${config.host}:${config.ports.prometheus}`);
  });
  afterAll(async () => {
    await telemetry?.stop();
    await env?.stop();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  /** Deploys v1 and initialises the rollout (primary created, target at zero), then applies v2 as a sync would. */
  const deployTwoVersions = async (name: string, provider: string, ingress?: string) => {
    const t = rolloutTarget(ns, name, provider, ingress);
    await applyAsSync(env.deps, targetDeployment(ns, name, 'example/app:1'));
    const init = await startRollout(env, t, { strategy: { canary: { stepWeight: 50 } } });
    const initialized = await init.result();
    expect(initialized.phase).toBe('Initialized');
    await applyAsSync(env.deps, targetDeployment(ns, name, 'example/app:2'));
    return t;
  };
  const image = async (name: string) =>
    (await kube.apps.readNamespacedDeployment({ namespace: ns, name })).spec?.template.spec?.containers[0]
      ?.image;
  const replicas = async (name: string) =>
    (await kube.apps.readNamespacedDeployment({ namespace: ns, name })).spec?.replicas;

  it('sends the first revision straight to the primary and parks the target at zero', async () => {
    const t = rolloutTarget(ns, 'first', 'istio');
    await applyAsSync(env.deps, targetDeployment(ns, 'first', 'example/app:1', { replicas: 3 }));
    const status = await (await startRollout(env, t, { strategy: { canary: { stepWeight: 50 } } })).result();
    expect(status.phase).toBe('Initialized');
    const primary: V1Deployment = await kube.apps.readNamespacedDeployment({
      namespace: ns,
      name: 'first-primary',
    });
    expect(primary.spec?.replicas).toBe(3);
    expect(primary.spec?.selector.matchLabels).toEqual({ app: 'first-primary' });
    expect(primary.status?.readyReplicas).toBe(3);
    expect(await replicas('first')).toBe(0);
    const selector = async (name: string) =>
      (await kube.core.readNamespacedService({ namespace: ns, name })).spec?.selector;
    expect(await selector('first')).toEqual({ app: 'first-primary' });
    expect(await selector('first-primary')).toEqual({ app: 'first-primary' });
    expect(await selector('first-canary')).toEqual({ app: 'first' });
    expect(await routesOf(env.deps, t)()).toMatchObject({ primaryWeight: 100, canaryWeight: 0 });
  });

  it('walks a healthy canary 10→20→…→50 with analysis and promotes it (istio)', async () => {
    const t = await deployTwoVersions('healthy', 'istio');
    telemetry.addWorkload({ namespace: ns, target: 'healthy', rps: 40, routes: routesOf(env.deps, t) });
    const weights = recordWeights(routesOf(env.deps, t));
    const handle = await startRollout(env, t, {
      provider: 'istio',
      strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
      analysis: {
        interval: '3s',
        threshold: 3,
        metrics: [
          { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '15s' },
          { name: 'request-duration', thresholdRange: { max: 500 }, interval: '15s' },
        ],
      },
    });
    const done = await handle.result();
    const seen = await weights.stop();
    expect(done.phase, done.message).toBe('Succeeded');
    expect(seen).toEqual([0, 10, 20, 30, 40, 50, 0]);
    expect(done.analysisRounds).toBeGreaterThanOrEqual(5);
    expect(await image('healthy-primary')).toBe('example/app:2');
    expect(await replicas('healthy')).toBe(0);
    await recordHistory(env.client, handle.workflowId, 'rollout-canary-promoted');
  });

  it('rolls a canary back when its error rate rises at 30%, within threshold × interval', async () => {
    const t = await deployTwoVersions('failing', 'istio');
    const read = routesOf(env.deps, t);
    telemetry.addWorkload({ namespace: ns, target: 'failing', rps: 40, routes: read });
    const weights = recordWeights(read);
    const handle = await startRollout(env, t, {
      provider: 'istio',
      strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
      analysis: {
        interval: '3s',
        threshold: 2,
        metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '6s' }],
      },
    });
    await waitForRollout(handle, 'weight 30%', (s) => s.canaryWeight === 30);
    telemetry.setVersion(ns, 'failing', { errorRate: 0.5 });
    const brokeAt = Date.now();
    const done = await failedRun(handle, 'RolloutRolledBack');
    const seen = await weights.stop();
    expect(done.phase).toBe('Failed');
    expect(done.failed?.name).toBe('request-success-rate');
    expect(done.failed?.value).toBeLessThan(99);
    expect(done.message).toMatch(/request-success-rate/);
    // Two failed rounds 3 s apart, plus the query window catching up and the rollback itself.
    expect(Date.now() - brokeAt).toBeLessThan(30_000);
    expect(Math.max(...seen)).toBeLessThanOrEqual(40);
    expect(await routesOf(env.deps, t)()).toMatchObject({ primaryWeight: 100, canaryWeight: 0 });
    expect(await replicas('failing')).toBe(0);
    expect(await image('failing-primary')).toBe('example/app:1');
    await recordHistory(env.client, handle.workflowId, 'rollout-canary-rolled-back');
  });

  it('pauses, resumes and promotes on request, each answering the resulting state (gateway-api)', async () => {
    const t = await deployTwoVersions('gated', 'gateway-api');
    const handle = await startRollout(env, t, {
      provider: 'gateway-api',
      strategy: {
        canary: {
          steps: [
            { setWeight: 20 },
            { pause: { duration: '2s' } },
            { setWeight: 40 },
            { pause: {} },
            { setWeight: 80 },
          ],
        },
      },
      analysis: { interval: '1s' },
    });
    await waitForRollout(handle, 'weight 20%', (s) => s.canaryWeight === 20);
    const paused = await handle.executeUpdate(pauseUpdate);
    expect(paused.phase).toBe('Paused');
    await new Promise((r) => setTimeout(r, 4000));
    expect((await handle.query(rolloutStatusQuery)).canaryWeight).toBe(20);
    const resumed = await handle.executeUpdate(resumeUpdate, { args: [{}] });
    expect(resumed.phase).toBe('Progressing');
    await waitForRollout(
      handle,
      'the pause-until-promoted step at 40%',
      (s) => s.canaryWeight === 40 && s.phase === 'Paused',
    );
    const promoted = await handle.executeUpdate(promoteUpdate, { args: [{}] });
    expect(promoted.phase).toBe('Succeeded');
    expect(promoted.step).toBe(3); // the 80% step was skipped
    // No promotion.approvers: anyone may resume and promote, recorded unverified (advisory).
    expect(promoted.approvals?.map((a) => [a.action, a.by, a.verified])).toEqual([
      ['resume', 'anonymous', false],
      ['promote', 'anonymous', false],
    ]);
    expect(await routesOf(env.deps, t)()).toMatchObject({ primaryWeight: 100, canaryWeight: 0 });
    expect(await image('gated-primary')).toBe('example/app:2');
  });

  it('aborts mid-rollout: traffic back on the primary, canary at zero (smi)', async () => {
    const t = await deployTwoVersions('aborted', 'smi');
    const handle = await startRollout(env, t, {
      provider: 'smi',
      strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }] } },
      analysis: { interval: '1s' },
    });
    await waitForRollout(handle, 'weight 25%', (s) => s.canaryWeight === 25 && s.phase === 'Paused');
    const aborted = await handle.executeUpdate(abortUpdate, { args: [{ reason: 'bad vibes' }] });
    expect(aborted.phase).toBe('Failed');
    expect(aborted.message).toMatch(/bad vibes/);
    expect((await failedRun(handle, 'RolloutAborted')).failed?.name).toBe('abort');
    expect(await routesOf(env.deps, t)()).toMatchObject({ primaryWeight: 100, canaryWeight: 0 });
    expect(await replicas('aborted')).toBe(0);
    expect(await image('aborted-primary')).toBe('example/app:1');
  });

  it('fails a canary that never becomes ready after the progress deadline', async () => {
    const t = rolloutTarget(ns, 'stuck', 'istio');
    await applyAsSync(env.deps, targetDeployment(ns, 'stuck', 'example/app:1'));
    expect(
      (await (await startRollout(env, t, { strategy: { canary: { stepWeight: 50 } } })).result()).phase,
    ).toBe('Initialized');
    // No node carries this label: the new pods stay Pending.
    await applyAsSync(
      env.deps,
      targetDeployment(ns, 'stuck', 'example/app:2', { nodeSelector: { nowhere: 'true' } }),
    );
    const started = Date.now();
    const done = await failedRun(
      await startRollout(env, t, {
        provider: 'istio',
        progressDeadline: '5s',
        strategy: { canary: { stepWeight: 50 } },
      }),
      'RolloutRolledBack',
    );
    expect(done.phase).toBe('Failed');
    expect(done.failed?.name).toBe('progress-deadline');
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(await replicas('stuck')).toBe(0);
  });

  it('runs blue/green with the kubernetes provider: iterations, then all traffic at once', async () => {
    const t = await deployTwoVersions('bluegreen', 'kubernetes');
    const selectors: string[] = [];
    let sampling = true;
    const watch = setInterval(async () => {
      const s = (await kube.core.readNamespacedService({ namespace: ns, name: 'bluegreen' })).spec?.selector
        ?.app;
      if (sampling && s && selectors.at(-1) !== s) selectors.push(s);
    }, 100);
    const handle = await startRollout(env, t, {
      provider: 'kubernetes',
      strategy: { blueGreen: { iterations: 2 } },
      analysis: { interval: '1s' },
    });
    const done = await handle.result();
    clearInterval(watch);
    sampling = false; // a read still in flight could be older than the one below
    // The promotion's last switch may land after the sampler's last read: read the Service once more.
    const last = (await kube.core.readNamespacedService({ namespace: ns, name: 'bluegreen' })).spec?.selector
      ?.app;
    if (last && selectors.at(-1) !== last) selectors.push(last);
    expect(done.phase, done.message).toBe('Succeeded');
    expect(done.analysisRounds).toBe(2);
    // The apex Service pointed at the new pods before promotion, then back at the (now new) primary.
    expect(selectors).toEqual(['bluegreen-primary', 'bluegreen', 'bluegreen-primary']);
    expect(await image('bluegreen-primary')).toBe('example/app:2');
    await recordHistory(env.client, handle.workflowId, 'rollout-blue-green');
  });

  it('runs the canary at the pod count setCanaryScale gives, then back at full size (istio)', async () => {
    const t = await deployTwoVersions('scaled', 'istio'); // two replicas
    const handle = await startRollout(env, t, {
      provider: 'istio',
      strategy: {
        canary: {
          steps: [
            { setCanaryScale: { replicas: 1 } },
            { setWeight: 20 },
            { pause: {} },
            { setCanaryScale: { matchTrafficWeight: true } },
            { setWeight: 50 },
            { pause: {} },
          ],
        },
      },
      analysis: { interval: '1s' },
    });
    const ready = async (name: string) =>
      (await kube.apps.readNamespacedDeployment({ namespace: ns, name })).status?.readyReplicas ?? 0;
    await waitForRollout(handle, 'paused at 20%', (s) => s.canaryWeight === 20 && s.phase === 'Paused');
    expect(await replicas('scaled')).toBe(1);
    expect(await ready('scaled')).toBe(1); // the step waited for its pods
    await handle.executeUpdate(resumeUpdate, { args: [{}] });
    await waitForRollout(handle, 'paused at 50%', (s) => s.canaryWeight === 50 && s.phase === 'Paused');
    expect(await replicas('scaled')).toBe(2);
    expect(await ready('scaled')).toBe(2);
    expect((await handle.executeUpdate(promoteUpdate, { args: [{}] })).phase).toBe('Succeeded');
    expect(await image('scaled-primary')).toBe('example/app:2');
    expect(await replicas('scaled')).toBe(0);
  });

  describe('blue/green post-switch analysis', () => {
    const errorRate = (value: number) => ({
      metricTemplates: {
        'default/error-rate': { provider: { type: 'prometheus' as const }, query: `vector(${value})` },
      },
    });
    const spec = {
      provider: 'kubernetes' as const,
      strategy: {
        blueGreen: {
          iterations: 1,
          postSwitchAnalysis: {
            iterations: 2,
            metrics: [
              { name: 'error-rate', templateRef: { name: 'error-rate' }, thresholdRange: { max: 0.1 } },
            ] as [MetricCheck],
          },
        },
      },
      analysis: { interval: '2s', threshold: 1 },
    };
    const selector = async (name: string) =>
      (await kube.core.readNamespacedService({ namespace: ns, name })).spec?.selector?.app;

    it('switches live traffic back to the old version, still running, when a post-switch check fails', async () => {
      const t = await deployTwoVersions('postswitch-bad', 'kubernetes');
      const handle = await startRollout(env, t, spec, errorRate(0.6));
      // The switch: live traffic on the new pods (the pre-switch round has no checks of its own to fail).
      await waitFor(async () => ((await selector('postswitch-bad')) === 'postswitch-bad' ? true : undefined));
      expect(await image('postswitch-bad-primary')).toBe('example/app:1'); // the old version keeps running
      const done = await failedRun(handle, 'RolloutRolledBack');
      expect(done.phase).toBe('Failed');
      expect(done.failed?.name).toBe('error-rate');
      expect(done.failed?.value).toBeCloseTo(0.6);
      expect(await selector('postswitch-bad')).toBe('postswitch-bad-primary');
      expect(await image('postswitch-bad-primary')).toBe('example/app:1');
      expect(await replicas('postswitch-bad')).toBe(0);
    });

    it('promotes once the post-switch checks pass', async () => {
      const t = await deployTwoVersions('postswitch-good', 'kubernetes');
      const done = await (await startRollout(env, t, spec, errorRate(0))).result();
      expect(done.phase, done.message).toBe('Succeeded');
      expect(done.analysisRounds).toBe(3); // one before the switch, two after it
      expect(await selector('postswitch-good')).toBe('postswitch-good-primary');
      expect(await image('postswitch-good-primary')).toBe('example/app:2');
    });
  });

  it('runs A/B testing by header match with istio, then drops the match on promotion', async () => {
    const t = await deployTwoVersions('abtest', 'istio');
    const handle = await startRollout(env, t, {
      provider: 'istio',
      strategy: { abTesting: { iterations: 2, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] } },
      analysis: { interval: '2s' },
    });
    const vs = async () =>
      (await env.deps.kube.objects.read({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { namespace: ns, name: 'abtest' },
      })) as unknown as {
        spec: { http: { match?: unknown[]; route: { destination: { host: string }; weight?: number }[] }[] };
      };
    type Http = Awaited<ReturnType<typeof vs>>['spec']['http'][number];
    // Matching requests all go to the canary (a zero-weight primary destination may stay listed).
    const share = (route: Http | undefined, host: string) =>
      route?.route.find((r) => r.destination.host === host)?.weight ?? 0;
    // Reconcile adds the match route at 0 % first; the A/B step then sends matching requests over.
    const during = await waitFor(async () => {
      const v = await vs();
      return share(
        v.spec.http.find((h) => h.match),
        'abtest-canary',
      ) === 100
        ? v
        : undefined;
    });
    const matched = during.spec.http.find((h) => h.match);
    expect(JSON.stringify(matched?.match)).toContain('insider');
    expect(share(matched, 'abtest-primary')).toBe(0);
    // Everything else stays on the primary.
    const rest = during.spec.http.find((h) => !h.match);
    expect(rest?.route.find((r) => r.destination.host === 'abtest-primary')?.weight ?? 100).toBe(100);
    const done = await handle.result();
    expect(done.phase, done.message).toBe('Succeeded');
    expect((await vs()).spec.http.some((h) => h.match)).toBe(false);
    await recordHistory(env.client, handle.workflowId, 'rollout-ab-testing');
  });

  it('mirrors live traffic to the new version during blue/green analysis with istio', async () => {
    const t = await deployTwoVersions('mirrored', 'istio');
    const handle = await startRollout(env, t, {
      provider: 'istio',
      strategy: { blueGreen: { iterations: 2, mirror: true } },
      analysis: { interval: '2s' },
    });
    const mirrored = await waitFor(async () => {
      const r = await routesOf(env.deps, t)();
      return r.mirrored ? r : undefined;
    });
    expect(mirrored).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: true });
    const done = await handle.result();
    expect(done.phase, done.message).toBe('Succeeded');
    expect(await routesOf(env.deps, t)()).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });

  it.each([['nginx'], ['gateway-api'], ['smi']])(
    'promotes a one-step canary through %s',
    async (provider) => {
      const name = `onestep-${provider.replace(/[^a-z]/g, '')}`;
      if (provider === 'nginx') {
        await applyAsSync(env.deps, {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name, namespace: ns },
          spec: {
            rules: [
              {
                host: `${name}.example.com`,
                http: {
                  paths: [
                    { path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } },
                  ],
                },
              },
            ],
          },
        } as never);
      }
      const t = await deployTwoVersions(name, provider, provider === 'nginx' ? name : undefined);
      const weights = recordWeights(routesOf(env.deps, t));
      const done = await (
        await startRollout(env, t, {
          provider: provider as never,
          strategy: { canary: { stepWeights: [30, 60] } },
          analysis: { interval: '1s' },
        })
      ).result();
      const seen = await weights.stop();
      expect(done.phase, done.message).toBe('Succeeded');
      expect(seen).toEqual([0, 30, 60, 0]);
      expect(await image(`${name}-primary`)).toBe('example/app:2');
    },
  );

  async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn().catch(() => undefined);
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
});
