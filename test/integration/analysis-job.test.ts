// Job metrics against the stack's cluster: kwok completes the pods of a Job, so a plain Job succeeds; an
// unschedulable pod with activeDeadlineSeconds makes the Job controller fail it. A Rollout whose analysis
// runs a job metric promotes on a Job that succeeds and rolls back on one that fails, and the Jobs are
// gone afterwards. The attacks: a Rollout namespace the Project does not allow, a Project whose resource
// rules forbid Jobs, and a template naming another namespace.
import type { V1Job } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisActivities } from '../../activities/analysis/index.js';
import { jobManifest } from '../../activities/analysis/job/manifest.js';
import { jobMetricName } from '../../activities/analysis/job/name.js';
import type { KubeClients } from '../../activities/kube/client.js';
import { SecretStore } from '../../activities/secrets/secret-store.js';
import type { ProjectConfig } from '../../activities/trust/config.js';
import { ProjectRegistry } from '../../activities/trust/projects.js';
import type { AnalysisCheck, AnalysisTarget } from '../../core/analysis/types.js';
import type { JobMetric, MetricTemplateSpec, RolloutSpec } from '../../schemas/types.generated.js';
import { abortUpdate, rolloutStatusQuery } from '../../workflows/rollout/messages.js';
import { failedRun } from '../helpers/runs.js';
import { openSecretAccess, testCaller } from '../helpers/trust.js';
import { waitFor } from '../helpers/wait-for.js';
import { testKube } from './helpers/kube.js';
import {
  applyAsSync,
  ensureNamespace,
  rolloutTarget,
  startRollout,
  targetDeployment,
} from './helpers/rollout.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

const suffix = Date.now().toString(36);
const ns = `job-metric-${suffix}`;
const kube = testKube();

/** A Job whose pod kwok completes; `fail`: its pod cannot be scheduled and its 2 s deadline fails it. */
function jobMetric(opts: { fail?: boolean; hang?: boolean; timeout?: string } = {}): JobMetric {
  const unschedulable = opts.fail || opts.hang;
  return {
    metadata: { labels: { suite: 'smoke' }, annotations: { target: '{{ target }}' } },
    spec: {
      backoffLimit: 0,
      ...(opts.fail ? { activeDeadlineSeconds: 2 } : {}),
      template: {
        spec: {
          restartPolicy: 'Never',
          ...(unschedulable ? { nodeSelector: { 'sluice.dev/no-such-node': 'true' } } : {}),
          containers: [
            {
              name: 'smoke',
              image: 'registry.k8s.io/pause:3.10',
              args: ['--target={{ target }}', '--host={{ variables.host }}'],
            },
          ],
        },
      },
    },
    ...(opts.timeout ? { timeout: opts.timeout } : {}),
  };
}
const template = (job: JobMetric): MetricTemplateSpec => ({ provider: { type: 'job' }, job });
const check = (job: JobMetric, name = 'smoke'): AnalysisCheck => ({
  name,
  template: template(job),
  thresholdRange: { min: 1 },
  variables: { host: 'web.example' },
});

const target = (namespace: string): AnalysisTarget => ({
  name: 'web',
  namespace,
  target: 'web',
  primary: 'web-primary',
  service: 'web',
  provider: 'istio',
});

/** The analysis activity under a given default Project, with the stack's cluster. */
function analysisUnder(project: ProjectConfig) {
  return analysisActivities({
    secrets: openSecretAccess(new SecretStore([])),
    kube: kubeClients,
    projects: new ProjectRegistry({ projects: [project], repositories: [] }),
    jobPollMs: 200,
  });
}

let kubeClients: KubeClients;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const open = (openTestTrust.projects ?? [])[0] as ProjectConfig;

/** The Jobs job metrics made in a namespace (labelled with their Rollout). */
const metricJobs = async (namespace: string) =>
  (await kube.batch.listNamespacedJob({ namespace, labelSelector: 'sluice.dev/metric' })).items;

beforeAll(async () => {
  worker = await startTestWorker('analysis-job');
  kubeClients = worker.deps.kube;
  await ensureNamespace(worker.deps, ns);
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
});

describe('runAnalysis with a job metric', () => {
  const round = (checks: AnalysisCheck[], measurement: string, project = open, namespace = ns) =>
    analysisUnder(project).runAnalysis({
      caller: testCaller,
      rollout: target(namespace),
      checks,
      cluster: 'in-cluster',
      measurement,
    });

  it('is 1 when the Job succeeds, with placeholders filled, and deletes the Job', async () => {
    const created: string[] = [];
    const watch = setInterval(async () => {
      for (const j of await metricJobs(ns).catch(() => [])) {
        const name = j.metadata?.name as string;
        if (!created.includes(name)) created.push(name);
        const args = j.spec?.template.spec?.containers[0]?.args;
        expect(args).toEqual(['--target=web', '--host=web.example']);
        expect(j.metadata?.labels).toMatchObject({
          suite: 'smoke',
          'sluice.dev/rollout': 'web',
          'sluice.dev/metric': 'smoke',
        });
        expect(j.metadata?.annotations).toMatchObject({ target: 'web' });
      }
    }, 100);
    const r = await round([check(jobMetric())], `pass-${suffix}`).finally(() => clearInterval(watch));
    expect(r.verdict, r.checks[0]?.message).toBe('Successful');
    expect(r.checks[0]).toMatchObject({
      value: 1,
      query: expect.stringMatching(/^job sluice-smoke-[0-9a-f]{10}$/),
    });
    expect(r.checks[0]?.message).toMatch(/^smoke 1 >= min 1 \(job sluice-smoke-\w+: completed\)$/);
    await waitFor('the Job deleted', async () => (await metricJobs(ns)).length === 0, 20_000);
  }, 60_000);

  it('is 0 when the Job fails (the Job controller’s deadline), and deletes the Job', async () => {
    const r = await round([check(jobMetric({ fail: true }))], `fail-${suffix}`);
    expect(r.verdict).toBe('Failed');
    expect(r.checks[0]).toMatchObject({ verdict: 'Failed', value: 0 });
    expect(r.checks[0]?.message).toMatch(/^smoke 0 < min 1 \(job sluice-smoke-\w+: DeadlineExceeded/);
    await waitFor('the Job deleted', async () => (await metricJobs(ns)).length === 0, 20_000);
  }, 60_000);

  it('is an Error when the Job neither ends nor fails within its timeout, and deletes the Job', async () => {
    const r = await round([check(jobMetric({ hang: true, timeout: '3s' }))], `hang-${suffix}`);
    expect(r.checks[0]).toMatchObject({ verdict: 'Error' });
    expect(r.checks[0]?.message).toMatch(/neither succeeded nor failed within 3s: deleted/);
    await waitFor('the Job deleted', async () => (await metricJobs(ns)).length === 0, 20_000);
  }, 60_000);

  it('adopts the Job an earlier attempt of the same round created instead of starting a second one', async () => {
    // What a crashed attempt leaves: the round's Job (one kwok completes), under the name the round derives.
    const measurement = `retry-${suffix}`;
    const name = jobMetricName(measurement, 'smoke');
    const fill = (s: string) =>
      s.replaceAll('{{ target }}', 'web').replaceAll('{{ variables.host }}', 'web.example');
    const left = jobManifest({ job: jobMetric(), name, namespace: ns, rollout: 'web', check: 'smoke', fill });
    await kube.batch.createNamespacedJob({ namespace: ns, body: left as unknown as V1Job });
    // The retry's template would fail; it reads the Job that is there, which succeeds.
    const r = await round([check(jobMetric({ fail: true }))], measurement);
    expect(r.checks[0]).toMatchObject({ verdict: 'Successful', value: 1, query: `job ${name}` });
    await waitFor('the Job deleted', async () => (await metricJobs(ns)).length === 0, 20_000);
  }, 60_000);

  it('never adopts a Job of that name it did not make', async () => {
    const measurement = `squat-${suffix}`;
    const name = jobMetricName(measurement, 'smoke');
    const squatter = jobManifest({
      job: jobMetric(),
      name,
      namespace: ns,
      rollout: 'web',
      check: 'smoke',
      fill: (s) => s,
    });
    squatter.metadata.labels = { app: 'other' };
    await kube.batch.createNamespacedJob({ namespace: ns, body: squatter as unknown as V1Job });
    const r = await round([check(jobMetric())], measurement);
    expect(r.checks[0]).toMatchObject({ verdict: 'Error' });
    expect(r.checks[0]?.message).toMatch(
      new RegExp(`job ${ns}/${name} exists and was not made for this check`),
    );
    await kube.batch
      .deleteNamespacedJob({ namespace: ns, name, propagationPolicy: 'Background' })
      .catch(() => undefined);
  }, 60_000);

  describe('attacks', () => {
    it('a Rollout in a namespace its Project does not allow: no Job is created', async () => {
      const elsewhere = { ...open, destinations: [{ cluster: '*', namespace: 'team-b-*' }] };
      const r = await round([check(jobMetric())], `ns-${suffix}`, elsewhere);
      expect(r.checks[0]).toMatchObject({ verdict: 'Error' });
      expect(r.checks[0]?.message).toMatch(
        new RegExp(
          `batch/Job ${ns}/sluice-smoke-\\w+ targets in-cluster/${ns}, which is not one of the project's destinations`,
        ),
      );
      expect(await metricJobs(ns)).toEqual([]);
    });

    it('a Project whose resource rules forbid Jobs: no Job is created', async () => {
      for (const rules of [
        { namespaceResourceDenyList: [{ group: 'batch', kind: 'Job' }] },
        { namespaceResourceAllowList: [{ group: 'apps', kind: 'Deployment' }] },
      ]) {
        const r = await round([check(jobMetric())], `deny-${suffix}`, { ...open, ...rules });
        expect(r.checks[0]).toMatchObject({ verdict: 'Error' });
        expect(r.checks[0]?.message).toMatch(
          /Rollout web \(project default\) metric smoke: batch\/Job .* is not allowed by namespaceResourceAllowList \/ namespaceResourceDenyList/,
        );
      }
      expect(await metricJobs(ns)).toEqual([]);
    });

    it('a template naming another namespace: refused, nothing created there or here', async () => {
      const job = { ...jobMetric(), metadata: { namespace: 'kube-system' } } as JobMetric;
      const r = await round([check(job)], `other-${suffix}`);
      expect(r.checks[0]).toMatchObject({ verdict: 'Error' });
      expect(r.checks[0]?.message).toMatch(
        /labels and annotations only: the Job runs in the Rollout's namespace/,
      );
      expect(await metricJobs('kube-system')).toEqual([]);
      expect(await metricJobs(ns)).toEqual([]);
    });
  });
});

describe('a Rollout whose analysis runs a job metric', () => {
  const rollOut = async (name: string, job: JobMetric) => {
    await applyAsSync(worker.deps, targetDeployment(ns, name, 'example/app:1'));
    const t = rolloutTarget(ns, name, 'istio');
    const spec: Omit<RolloutSpec, 'targetRef' | 'service'> = {
      provider: 'istio',
      strategy: { canary: { stepWeights: [50] } },
      analysis: {
        interval: '1s',
        threshold: 1,
        metrics: [
          {
            name: 'smoke',
            templateRef: { name: 'smoke' },
            thresholdRange: { min: 1 },
            variables: { host: 'x' },
          },
        ],
      },
    };
    const extra = { metricTemplates: { 'default/smoke': template(job) } };
    expect((await (await startRollout(worker, t, spec, extra)).result()).phase).toBe('Initialized');
    await applyAsSync(worker.deps, targetDeployment(ns, name, 'example/app:2'));
    return startRollout(worker, t, spec, extra);
  };
  const primaryImage = async (name: string) =>
    (await kube.apps.readNamespacedDeployment({ namespace: ns, name: `${name}-primary` })).spec?.template.spec
      ?.containers[0]?.image;

  it('promotes when the Job succeeds', async () => {
    const done = await (await rollOut('good', jobMetric())).result();
    expect(done.phase, done.message).toBe('Succeeded');
    expect(done.lastChecks?.[0]).toMatchObject({ name: 'smoke', verdict: 'Successful', value: 1 });
    expect(await primaryImage('good')).toBe('example/app:2');
    await waitFor('the Jobs deleted', async () => (await metricJobs(ns)).length === 0, 20_000);
  }, 120_000);

  it('rolls back when the Job fails', async () => {
    const done = await failedRun(await rollOut('bad', jobMetric({ fail: true })), 'RolloutRolledBack');
    expect(done.phase, done.message).toBe('Failed');
    expect(done.failed).toMatchObject({ name: 'smoke', value: 0 });
    expect(done.failed?.message).toMatch(/DeadlineExceeded/);
    expect(await primaryImage('bad')).toBe('example/app:1');
    await waitFor('the Jobs deleted', async () => (await metricJobs(ns)).length === 0, 20_000);
  }, 120_000);

  it('stops waiting for a Job when the rollout is aborted, and the Job goes', async () => {
    // The Job never runs (unschedulable) and would be waited for 5 minutes: the abort must not wait.
    const handle = await rollOut('aborted', jobMetric({ hang: true, timeout: '5m' }));
    await waitFor('the metric Job', async () => (await metricJobs(ns)).length === 1, 60_000);
    const t0 = Date.now();
    await handle.executeUpdate(abortUpdate, { args: [{ reason: 'incident' }] });
    const done = await failedRun(handle, 'RolloutAborted');
    expect(done.failed?.name).toBe('abort');
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(await primaryImage('aborted')).toBe('example/app:1');
    expect((await handle.query(rolloutStatusQuery)).phase).toBe('Failed');
    // The cancelled activity hears it at its next heartbeat and deletes its Job.
    await waitFor('the Job deleted', async () => (await metricJobs(ns)).length === 0, 30_000);
  }, 150_000);
});
