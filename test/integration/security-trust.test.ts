// Issue 12, findings 3, 4 and 8 written as the attacks: two teams' repositories watched by one worker,
// team B's author trying to reach team A's applications, namespaces, objects, secrets and credentials.
// Each test fails on the code before the trust model (3705e83): see the session notes.
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applicationWorkflowId, pipelineTriggerId, repoWatcherId } from '../../core/workflow-ids.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { type Receiver, startReceiver } from '../../scripts/stack/simulators/http-receiver.js';
import { type ApplicationStatus, applicationStatusQuery } from '../../workflows/application/messages.js';
import { pipelineStatusQuery } from '../../workflows/pipeline/messages.js';
import { runNowUpdate } from '../../workflows/pipeline/trigger-messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { orMissing, testKube } from './helpers/kube.js';
import { configMapYaml, deploymentYaml } from './helpers/manifests.js';
import { startTestWorker } from './helpers/test-worker.js';

const s = Date.now().toString(36);
const nsA = `sec-a-${s}`;
const nsB = `sec-b-${s}`;
const nsC = `sec-c-${s}`;
const repoIdA = `a-${s}`;
const repoIdB = `b-${s}`;
const repoIdC = `c-${s}`;
const group = `${s}.trust.example.com`;
const user = `team-a-${s}`;
const password = `pw-${s}-Kq2`;
const hookKey = `hmac-of-team-a-${s}`;

/** An automated Application of a repository whose manifests are in its own `manifests/<dir>` folder. */
function app(
  name: string,
  repoURL: string,
  dir: string,
  namespace: string,
  extra: { project?: string; rollout?: string; syncOptions?: string[] } = {},
): string {
  return `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: ${name}}
spec:
${extra.project ? `  project: ${extra.project}\n` : ''}  source: {repoURL: '${repoURL}', targetRevision: main, path: manifests/${dir}, render: {plugin: directory}}
  destination: {namespace: ${namespace}}
${extra.rollout ? `  rollout: ${extra.rollout}\n` : ''}  syncPolicy:
    automated: {prune: true}
    syncOptions: [${['CreateNamespace=true', ...(extra.syncOptions ?? [])].join(', ')}]
    retry: {limit: 0}
`;
}

/** A one-step Pipeline started by hand. */
function pipeline(name: string, step: string): string {
  return `apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata: {name: ${name}}
spec:
  trigger: {manual: {}}
  steps:
    - name: attack
${step}`;
}

describe('trust: a pipeline-file author acts only inside what the administrator granted', () => {
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let receiver: Receiver;
  const kube = testKube();
  const repoA = servedRepo('trust-a', { private: { user, password } });
  const repoB = servedRepo('trust-b');
  const repoC = servedRepo('trust-c');
  const filesB: Record<string, string | null> = {};
  const commitB = (files: Record<string, string | null>, message: string) => {
    Object.assign(filesB, files);
    return repoB.commit(files, message);
  };
  const status = (repoId: string, name: string) =>
    w.client.workflow.getHandle(applicationWorkflowId(repoId, name)).query(applicationStatusQuery);
  const lastSync = (repoId: string, name: string, what: string) =>
    waitFor(
      what,
      async () => {
        const st = await status(repoId, name);
        return st.lastSync && st;
      },
      60_000,
      250,
    );
  const secretEnv = (secret: string, key: string) =>
    `SLUICE_SECRET_${secret.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${key.toUpperCase()}`;

  beforeAll(async () => {
    appendFileSync(stackPaths(loadStackConfig()).gitUsers, `${user}:${password}\n`);
    process.env[secretEnv(`a-git-${s}`, 'username')] = user;
    process.env[secretEnv(`a-git-${s}`, 'password')] = password;
    process.env[secretEnv(`a-hook-${s}`, 'secret')] = hookKey;
    receiver = await startReceiver();
    const receiverHost = new URL(receiver.url).host;
    // The administrator's decisions: two teams, each bound to its repository; team B may read team A's
    // repository (a mistake that must still not hand it team A's credentials) and create CRDs only.
    w = await startTestWorker('trust', {
      trust: {
        projects: [
          { name: 'team-a', destinations: [{ cluster: 'in-cluster', namespace: nsA }] },
          {
            name: 'team-b',
            sourceRepos: [repoB.url, repoA.url],
            destinations: [{ cluster: 'in-cluster', namespace: nsB }],
            clusterResourceAllowList: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }],
          },
        ],
        repositories: [
          { id: repoIdA, url: repoA.url, projects: ['team-a'], secretRef: { name: `a-git-${s}` } },
          { id: repoIdB, url: repoB.url, projects: ['team-b'] },
          // Bound to nothing but the default Project, which the administrator left undefined.
          { id: repoIdC, url: repoC.url, projects: ['default'] },
        ],
        secretAccess: [{ name: `a-hook-${s}`, projects: ['team-a'], hosts: [receiverHost] }],
        egress: { allow: ['127.0.0.1/32'], maxResponseBytes: 1024 * 1024 },
      },
    });
    repoA.commit({
      'apps/web.yaml': app('web', repoA.url, 'web', nsA),
      'manifests/web/shared.yaml': configMapYaml('shared', { owner: 'team-a' }),
    });
    filesB['manifests/empty/.keep'] = '';
    commitB({ 'apps/.keep': '' }, 'empty');
    repoC.commit({ 'apps/.keep': '' });
    for (const [repoId, repo] of [
      [repoIdA, { url: repoA.url, secretRef: { name: `a-git-${s}` } }],
      [repoIdB, { url: repoB.url }],
      [repoIdC, { url: repoC.url }],
    ] as const)
      await w.client.workflow.start(repoWatcherWorkflow, {
        taskQueue: w.taskQueue,
        workflowId: repoWatcherId(repoId),
        args: [
          { repoId, repo: { ...repo, revision: 'main', path: 'apps' }, pollInterval: '1s', allowEmpty: true },
        ],
      });
    await waitFor(
      "team A's web to be synced",
      async () => (await status(repoIdA, 'web')).syncedRevision !== undefined,
      90_000,
      250,
    );
  });

  afterAll(async () => {
    const ids = [repoIdA, repoIdB, repoIdC].map(repoWatcherId);
    for (const id of ids)
      await w.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    for (const [repoId, name] of [
      [repoIdA, 'web'],
      [repoIdB, 'web'],
      [repoIdB, 'svc'],
      [repoIdB, 'peek'],
      [repoIdB, 'widgets'],
      [repoIdB, 'adopt'],
      [repoIdC, 'stray'],
    ] as const)
      await w.client.workflow
        .getHandle(applicationWorkflowId(repoId, name))
        .terminate('test done')
        .catch(() => {});
    for (const p of ['steal-sync', 'steal-sign', 'steal-git'])
      await w.client.workflow
        .getHandle(pipelineTriggerId(repoIdB, p))
        .terminate('test done')
        .catch(() => {});
    await receiver?.close();
    await w?.stop();
  });

  it("a second repository declaring the same name gets its own application and never touches the first one's", async () => {
    const before = await status(repoIdA, 'web');
    commitB(
      {
        'apps/web.yaml': app('web', repoB.url, 'web', nsA),
        'manifests/web/shared.yaml': configMapYaml('shared', { owner: 'team-b' }),
      },
      'take over web',
    );
    const b = await lastSync(repoIdB, 'web', "team B's own web to sync");
    expect(b.lastSync?.phase).toBe('Failed');
    expect(b.lastSync?.message).toContain(
      `destination in-cluster/${nsA} is not one of the project's destinations [in-cluster/${nsB}]`,
    );
    const a = await status(repoIdA, 'web');
    expect(a).toMatchObject<Partial<ApplicationStatus>>({
      repoId: repoIdA,
      revision: before.revision,
      updates: before.updates,
    });
    const cm = await kube.core.readNamespacedConfigMap({ namespace: nsA, name: 'shared' });
    expect(cm.data).toEqual({ owner: 'team-a' });
    expect(cm.metadata?.annotations?.['sluice.dev/tracking-id']).toBe(`${repoIdA}/web`);
    // Removing it from team B's repository removes team B's application only.
    commitB({ 'apps/web.yaml': null }, 'drop web');
    await waitFor(
      "team B's web to stop",
      async () =>
        (await w.client.workflow.getHandle(applicationWorkflowId(repoIdB, 'web')).describe()).status.name !==
        'RUNNING',
      30_000,
      250,
    );
    expect((await status(repoIdA, 'web')).phase).toBe('Watching');
    expect((await kube.core.readNamespacedConfigMap({ namespace: nsA, name: 'shared' })).data).toEqual({
      owner: 'team-a',
    });
  });

  it('a Project in a team’s own repository is refused: Projects are the administrator’s', async () => {
    const sha = commitB(
      {
        'apps/project.yaml': `apiVersion: sluice.dev/v1alpha1
kind: Project
metadata: {name: team-b}
spec: {sourceRepos: ['*'], destinations: [{namespace: '*'}]}
`,
        'apps/grab.yaml': app('grab', repoB.url, 'web', nsA, { project: 'team-b' }),
      },
      'widen my own project',
    );
    const watcher = await waitFor(
      'the commit to be judged',
      async () => {
        const st = await w.client.workflow.getHandle(repoWatcherId(repoIdB)).query(repoStatusQuery);
        return st.invalid?.sha === sha && st;
      },
      30_000,
      250,
    );
    expect(watcher.invalid?.errors.join('\n')).toContain(
      'apps/project.yaml:2:7: kind: Projects are defined by the administrator',
    );
    await expect(
      w.client.workflow.getHandle(applicationWorkflowId(repoIdB, 'grab')).describe(),
    ).rejects.toThrow();
    commitB({ 'apps/project.yaml': null, 'apps/grab.yaml': null }, 'undo');
  });

  it('an Application without a Project gets the restrictive default: no destination, no namespace created', async () => {
    repoC.commit({ 'apps/stray.yaml': app('stray', repoC.url, 'stray', nsC) }, 'stray');
    repoC.commit({ 'manifests/stray/cm.yaml': configMapYaml('stray', { a: '1' }) }, 'manifests');
    const c = await lastSync(repoIdC, 'stray', 'the stray application to sync');
    expect(c.project).toBe('default');
    expect(c.lastSync?.phase).toBe('Failed');
    expect(c.lastSync?.message).toContain(
      `destination in-cluster/${nsC} is not one of the project's destinations [none]`,
    );
    expect(await orMissing(kube.core.readNamespace({ name: nsC }))).toBeUndefined();
  });

  it('a Rollout cannot scale or copy a Deployment its Application did not create', async () => {
    await kube.core.createNamespace({ body: { metadata: { name: nsB } } }).catch(() => {});
    await kube.apps.createNamespacedDeployment({ namespace: nsB, body: parse(deploymentYaml('legacy')) });
    commitB(
      {
        'apps/svc.yaml': `${app('svc', repoB.url, 'svc', nsB, { rollout: 'hijack' })}---
apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata: {name: hijack}
spec:
  targetRef: {name: legacy}
  service: {port: 80}
  provider: istio
  strategy: {canary: {stepWeights: [50]}}
`,
        'manifests/svc/cm.yaml': configMapYaml('svc', { team: 'b' }),
      },
      'roll out somebody else’s deployment',
    );
    const st = await waitFor(
      'the rollout to be refused',
      async () => {
        const x = await status(repoIdB, 'svc');
        return x.rolloutError ? x : undefined;
      },
      60_000,
      250,
    );
    expect(st.rolloutError).toContain(
      `targetRef Deployment ${nsB}/legacy is not created by Sluice, not by ${repoIdB}/svc: a Rollout only takes over its own Application's workload`,
    );
    const live = await kube.apps.readNamespacedDeployment({ namespace: nsB, name: 'legacy' });
    expect(live.spec?.replicas).toBe(2);
    expect(
      await orMissing(kube.apps.readNamespacedDeployment({ namespace: nsB, name: 'legacy-primary' })),
    ).toBeUndefined();
  });

  it("a Pipeline cannot sync another team's application, sign with its key or push with its credentials", async () => {
    const historyBefore = (await status(repoIdA, 'web')).lastSync?.id;
    commitB(
      {
        'apps/steal-sync.yaml': pipeline(
          'steal-sync',
          `      uses: sync\n      with: {application: web, repository: ${repoIdA}, prune: true}\n`,
        ),
        'apps/steal-sign.yaml': pipeline(
          'steal-sign',
          `      uses: webhook\n      with: {url: '${receiver.url}/hook', body: {deploy: evil}, secretRef: {name: a-hook-${s}}}\n`,
        ),
        'apps/steal-git.yaml': pipeline(
          'steal-git',
          `      uses: git-update\n      with: {repoURL: '${repoB.url}', file: manifests/svc/cm.yaml, field: data.team, value: x, secretRef: {name: a-git-${s}}}\n`,
        ),
      },
      'pipelines',
    );
    const run = async (name: string) => {
      const trigger = w.client.workflow.getHandle(pipelineTriggerId(repoIdB, name));
      const { workflowId } = await waitFor(
        `the ${name} trigger`,
        () => trigger.executeUpdate(runNowUpdate, { args: [{ by: 'mallory' }] }),
        30_000,
        500,
      );
      return waitFor(
        `${name} to end`,
        async () => {
          const r = await w.client.workflow.getHandle(workflowId).query(pipelineStatusQuery);
          return r.phase === 'Failed' && r;
        },
        90_000,
        500,
      );
    };
    const [sync, sign, push] = await Promise.all([run('steal-sync'), run('steal-sign'), run('steal-git')]);
    expect(sync.steps[0]?.message).toContain(
      `application ${repoIdA}/web is in Project "team-a"; a Pipeline of Project "team-b" may act only on its own repository's Applications and its Project's`,
    );
    expect(sign.steps[0]?.message).toContain(
      `secret "a-hook-${s}" is not granted to Project "team-b" (repository ${repoIdB})`,
    );
    expect(push.steps[0]?.message).toContain(
      `secret "a-git-${s}" is not granted to Project "team-b" (repository ${repoIdB})`,
    );
    expect(receiver.requests).toEqual([]);
    expect((await status(repoIdA, 'web')).lastSync?.id).toBe(historyBefore);
  });

  it("another team's repository credentials are never used for an Application that names its URL", async () => {
    commitB({ 'apps/peek.yaml': app('peek', repoA.url, 'web', nsB) }, 'read team A’s private repository');
    const st = await waitFor(
      'peek to fail reading the private repository',
      async () => {
        const x = await status(repoIdB, 'peek');
        return x.lastError ? x : undefined;
      },
      30_000,
      250,
    );
    expect(st.lastError).toContain('asks for credentials');
    expect(st.sourceRevision).toBeUndefined();
    expect(
      await orMissing(kube.core.readNamespacedConfigMap({ namespace: nsB, name: 'shared' })),
    ).toBeUndefined();
  });

  it("a kind discovery cannot place is never guessed namespaced: a CRD's cluster-scoped instance fails the Project", async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.${group}}
spec:
  group: ${group}
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Cluster
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;
    commitB(
      {
        'apps/widgets.yaml': app('widgets', repoB.url, 'widgets', nsB),
        'manifests/widgets/crd.yaml': crd,
        'manifests/widgets/widget.yaml': `apiVersion: ${group}/v1\nkind: Widget\nmetadata: {name: everywhere}\n`,
      },
      'a cluster-scoped kind of my own',
    );
    const st = await lastSync(repoIdB, 'widgets', 'widgets to sync');
    expect(st.lastSync?.phase).toBe('Failed');
    expect(st.lastSync?.message).toContain(
      `${group}/Widget everywhere is cluster-scoped and not in clusterResourceAllowList`,
    );
    // Nothing was applied: not even the CRD the Project allows.
    expect(
      await orMissing(kube.extensions.readCustomResourceDefinition({ name: `widgets.${group}` })),
    ).toBeUndefined();
  });

  it('an object Sluice did not create is adopted only with AdoptExisting=true', async () => {
    await kube.core.createNamespacedConfigMap({
      namespace: nsB,
      body: { metadata: { name: 'preexisting' }, data: { x: 'hand-made' } },
    });
    commitB(
      {
        'apps/adopt.yaml': app('adopt', repoB.url, 'adopt', nsB),
        'manifests/adopt/cm.yaml': configMapYaml('preexisting', { x: 'from-git' }),
      },
      'claim an existing object',
    );
    const st = await lastSync(repoIdB, 'adopt', 'adopt to sync');
    expect(st.lastSync?.phase).toBe('Failed');
    expect(st.lastSync?.message).toContain(
      `ConfigMap ${nsB}/preexisting already exists and was not created by Sluice: add syncOptions AdoptExisting=true`,
    );
    const live = await kube.core.readNamespacedConfigMap({ namespace: nsB, name: 'preexisting' });
    expect(live.data).toEqual({ x: 'hand-made' });
    commitB(
      { 'apps/adopt.yaml': app('adopt', repoB.url, 'adopt', nsB, { syncOptions: ['AdoptExisting=true'] }) },
      'opt in',
    );
    await waitFor(
      'the adoption',
      async () => {
        const cm = await kube.core.readNamespacedConfigMap({ namespace: nsB, name: 'preexisting' });
        return cm.data?.x === 'from-git' && cm;
      },
      60_000,
      250,
    );
  });
});
