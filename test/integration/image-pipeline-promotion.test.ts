// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is the Pipeline expression syntax under test
// Kargo's "a new artifact appears → promote it through stages" on the real stack, from Git alone: an
// ImagePolicy over the stack's OCI registry triggers a Pipeline that writes the tag into staging's manifests
// (git-update), syncs staging until Healthy, then does the same for production, whose Rollout releases it
// through a canary with steps and Prometheus analysis of the mesh-telemetry fixture. The Applications have no
// automated sync: only the Pipeline moves them, so what runs in each namespace is what the run did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applicationWorkflowId,
  imagePolicyWorkflowId,
  pipelineTriggerId,
  repoWatcherId,
} from '../../core/workflow-ids.js';
import type { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { imagePolicyStatusQuery } from '../../workflows/image/messages.js';
import { type PipelineRunStatus, pipelineStatusQuery } from '../../workflows/pipeline/messages.js';
import { pipelineTriggerStatusQuery } from '../../workflows/pipeline/trigger-messages.js';
import { rolloutStatusQuery } from '../../workflows/rollout/messages.js';
import { chartServers } from '../helpers/charts.js';
import { pushImageTag } from '../helpers/images.js';
import { waitFor } from '../helpers/wait-for.js';
import { endTestWorkflows } from './helpers/end-workflows.js';
import { servedRepo } from './helpers/git-repo.js';
import { imagePolicyYaml, registryWorkerOptions } from './helpers/image-registry.js';
import { deploymentImage, testKube } from './helpers/kube.js';
import { startRepoWatcher } from './helpers/repo-watcher.js';
import { rolloutTarget, routesOf } from './helpers/rollout.js';
import { istioCanaryRolloutYaml, webDeploymentYaml } from './helpers/rollout-files.js';
import { startRolloutTelemetry } from './helpers/rollout-telemetry.js';
import { startTestWorker } from './helpers/test-worker.js';

const servers = chartServers();

describe('an image policy promotes a new tag staging → production through a canary', () => {
  const suffix = Date.now().toString(36);
  const repo = servedRepo('image-pipeline');
  const repoId = `image-pipeline-${suffix}`;
  const image = `${servers.registry.host}/imgpipe-${suffix}/web`;
  const staging = `stg-${suffix}`;
  const production = `prd-${suffix}`;
  const pipeline = `promote-${suffix}`;
  const kube = testKube();
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let telemetry: MeshTelemetry;

  const files = `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: ${staging}}
spec:
  source: {repoURL: ${repo.url}, targetRevision: main, path: deploy/staging}
  destination: {namespace: ${staging}}
  syncPolicy: {syncOptions: [CreateNamespace=true]}
---
apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: ${production}}
spec:
  source: {repoURL: ${repo.url}, targetRevision: main, path: deploy/production}
  destination: {namespace: ${production}}
  rollout: web
  syncPolicy: {syncOptions: [CreateNamespace=true]}
---
${istioCanaryRolloutYaml('{steps: [{setWeight: 20}, {analysis: {iterations: 2}}, {setWeight: 60}, {analysis: {}}]}')}---
${imagePolicyYaml('web', image, "{semver: {range: '^1.0.0'}}")}---
apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata: {name: ${pipeline}, namespace: apps}
spec:
  trigger: {image: {policyRef: {name: web}}}
  steps:
    - name: tag-staging
      uses: git-update
      with: {repoURL: '${repo.url}', file: deploy/staging/deployment.yaml, image: '\${{ trigger.image.image }}', tag: '\${{ trigger.image.tag }}'}
    - name: staging
      uses: sync
      with: {application: ${staging}, revision: '\${{ steps.tag-staging.outputs.sha }}'}
    - name: tag-production
      uses: git-update
      with: {repoURL: '${repo.url}', file: deploy/production/deployment.yaml, image: '\${{ trigger.image.image }}', tag: '\${{ trigger.image.tag }}'}
    - name: production
      uses: sync
      with: {application: ${production}, revision: '\${{ steps.tag-production.outputs.sha }}'}
    - name: production-canary
      uses: rollout-wait
      with: {application: ${production}, revision: '\${{ steps.production.outputs.revision }}'}
`;

  const appStatus = (name: string) =>
    w.client.workflow.getHandle(applicationWorkflowId(repoId, name)).query(applicationStatusQuery);
  const deployedImage = (namespace: string, name: string) => deploymentImage(kube, namespace, name);
  /** The Pipeline's runs, from visibility, each with its status (trigger and steps). */
  const runs = async (): Promise<(PipelineRunStatus & { workflowId: string })[]> => {
    const out: (PipelineRunStatus & { workflowId: string })[] = [];
    for await (const r of w.client.workflow.list({
      query: `SluiceKind = "pipeline" AND SluiceApp = "${pipeline}"`,
    }))
      out.push({
        ...(await w.client.workflow.getHandle(r.workflowId).query(pipelineStatusQuery)),
        workflowId: r.workflowId,
      });
    return out;
  };
  const runFor = (tag: string) =>
    waitFor(
      `the run for ${tag} to end`,
      async () => {
        const run = (await runs()).find((r) => r.trigger.image?.tag === tag);
        return run && ['Succeeded', 'Failed', 'Cancelled'].includes(run.phase) ? run : undefined;
      },
      240_000,
      1000,
    );
  const tagsOfRuns = async () => (await runs()).map((r) => r.trigger.image?.tag).sort();

  beforeAll(async () => {
    w = await startTestWorker('image-pipeline', registryWorkerOptions(servers.registry));
    telemetry = await startRolloutTelemetry(w.deps, rolloutTarget(production, 'web', 'istio'));
    await pushImageTag(servers.registry, `imgpipe-${suffix}/web`, '1.0.0');
    const manifest = webDeploymentYaml(`${image}:1.0.0`);
    repo.commit(
      {
        'apps/pipeline.yaml': files,
        'deploy/staging/deployment.yaml': manifest,
        'deploy/production/deployment.yaml': manifest,
      },
      'staging and production at 1.0.0',
    );
    await startRepoWatcher(w, repoId, repo.url, 'apps');
  }, 60_000);

  afterAll(async () => {
    // Rollouts outlive their application (ABANDON), runs their trigger: end what this test started.
    await endTestWorkflows(w?.client, {
      apps: [production, pipeline],
      ids: [
        repoWatcherId(repoId),
        imagePolicyWorkflowId(repoId, 'apps', 'web'),
        pipelineTriggerId(repoId, pipeline),
        applicationWorkflowId(repoId, staging),
        applicationWorkflowId(repoId, production),
      ],
    });
    await telemetry?.stop();
    await w?.stop();
    for (const name of [staging, production])
      await kube.core.deleteNamespace({ name }).catch(() => undefined);
  });

  it('deploys the first selection to both environments, production initialising its canary', async () => {
    const first = await runFor('1.0.0');
    expect(first.phase, first.message).toBe('Succeeded');
    // The files already held 1.0.0: nothing committed, each Application synced at the branch's head.
    expect(first.steps.find((s) => s.name === 'tag-staging')?.outputs).toMatchObject({ changed: false });
    expect(first.steps.find((s) => s.name === 'production-canary')?.outputs).toMatchObject({
      phase: 'Initialized',
    });
    expect(await deployedImage(staging, 'web')).toBe(`${image}:1.0.0`);
    expect(await deployedImage(production, 'web-primary')).toBe(`${image}:1.0.0`);
    repo.git('fetch', '-q', 'origin');
    expect(repo.git('log', 'origin/main', '--format=%s')).toBe('staging and production at 1.0.0');
  });

  it('promotes a pushed tag through staging, then production’s canary, in exactly one run', async () => {
    await pushImageTag(servers.registry, `imgpipe-${suffix}/web`, '1.1.0');
    await pushImageTag(servers.registry, `imgpipe-${suffix}/web`, '2.0.0'); // outside ^1.0.0: no run
    const run = await runFor('1.1.0');
    expect(run.phase, `${run.failedStep}: ${run.message}`).toBe('Succeeded');
    expect(run.trigger).toMatchObject({ kind: 'image', image: { image, tag: '1.1.0' } });
    expect(run.steps.map((s) => [s.name, s.phase])).toEqual([
      ['tag-staging', 'Succeeded'],
      ['staging', 'Succeeded'],
      ['tag-production', 'Succeeded'],
      ['production', 'Succeeded'],
      ['production-canary', 'Succeeded'],
    ]);
    const out = (step: string) => run.steps.find((s) => s.name === step)?.outputs ?? {};
    expect(out('tag-staging')).toMatchObject({ changed: true });
    expect(out('tag-production')).toMatchObject({ changed: true });

    // Git: two commits by the run, staging's before production's.
    repo.git('fetch', '-q', 'origin');
    expect(repo.git('log', 'origin/main', '--format=%s').split('\n').slice(0, 2)).toEqual([
      `set ${image}:1.1.0 in deploy/production/deployment.yaml`,
      `set ${image}:1.1.0 in deploy/staging/deployment.yaml`,
    ]);
    expect(repo.git('rev-parse', 'origin/main')).toBe(out('tag-production').sha);

    // Staging runs the tag at the run's staging commit.
    expect(await deployedImage(staging, 'web')).toBe(`${image}:1.1.0`);
    expect(await appStatus(staging)).toMatchObject({
      syncedRevision: out('tag-staging').sha,
      health: 'Healthy',
    });

    // Production released it through every canary step with passing analysis; the primary serves it.
    const prod = await appStatus(production);
    expect(prod).toMatchObject({ syncedRevision: out('tag-production').sha, health: 'Healthy' });
    expect(prod.rollout).toMatchObject({ revision: out('tag-production').sha, phase: 'Succeeded' });
    const rollout = await w.client.workflow
      .getHandle(prod.rollout?.workflowId as string)
      .query(rolloutStatusQuery);
    expect(rollout).toMatchObject({ phase: 'Succeeded', steps: 4 });
    expect(rollout.analysisRounds).toBeGreaterThanOrEqual(3);
    expect(rollout.lastChecks?.map((c) => c.name)).toEqual(['request-success-rate']);
    expect(out('production-canary')).toMatchObject({
      phase: 'Succeeded',
      workflowId: prod.rollout?.workflowId,
    });
    expect(await deployedImage(production, 'web-primary')).toBe(`${image}:1.1.0`);
    expect(await routesOf(w.deps, rolloutTarget(production, 'web', 'istio'))()).toMatchObject({
      primaryWeight: 100,
      canaryWeight: 0,
    });

    // Exactly one run per selected tag, however many scans saw it (2.0.0 is out of range).
    const policy = w.client.workflow.getHandle(imagePolicyWorkflowId(repoId, 'apps', 'web'));
    const scans = (await policy.query(imagePolicyStatusQuery)).scans;
    await waitFor(
      'three more scans',
      async () => (await policy.query(imagePolicyStatusQuery)).scans >= scans + 3,
      30_000,
      250,
    );
    expect((await policy.query(imagePolicyStatusQuery)).selected?.tag).toBe('1.1.0');
    expect(await tagsOfRuns()).toEqual(['1.0.0', '1.1.0']);
    const trigger = await w.client.workflow
      .getHandle(pipelineTriggerId(repoId, pipeline))
      .query(pipelineTriggerStatusQuery);
    expect(trigger.runsStarted).toBe(2);
  });

  it('stops a tag whose canary fails analysis: staging has it, production rolls back, the run fails there', async () => {
    telemetry.setVersion(production, 'web', { errorRate: 0.6 });
    // The canary's series are per workload: let 1.1.0's canary traffic age out of the 10 s query window first.
    await new Promise((r) => setTimeout(r, 11_000));
    await pushImageTag(servers.registry, `imgpipe-${suffix}/web`, '1.2.0');
    const run = await runFor('1.2.0');
    expect(run.phase).toBe('Failed');
    expect(run.failedStep).toBe('production-canary');
    expect(run.message).toMatch(/ended Failed/);
    expect(run.steps.map((s) => s.phase)).toEqual([
      'Succeeded',
      'Succeeded',
      'Succeeded',
      'Succeeded',
      'Failed',
    ]);
    expect(await deployedImage(staging, 'web')).toBe(`${image}:1.2.0`);
    const prod = await appStatus(production);
    expect(prod.rollout).toMatchObject({ phase: 'Failed', failed: { name: 'request-success-rate' } });
    expect(await deployedImage(production, 'web-primary')).toBe(`${image}:1.1.0`);
    expect(await tagsOfRuns()).toEqual(['1.0.0', '1.1.0', '1.2.0']);
  });
});
