// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is the Pipeline expression syntax under test
// Image automation on the real stack: tags pushed to the stack's OCI registry are selected by ImagePolicies
// whose workflows the repository watcher starts; one policy's ImageUpdateAutomation commits the new tag
// into Git exactly once and the Application syncs it onto the cluster; another policy starts a Pipeline run
// with the tag as trigger input. Attack paths: an image on a refused address, an automation writing to a
// repository its Project does not allow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryTokens } from '../../activities/charts/registry-tokens.js';
import { imageClient } from '../../activities/images/image-client.js';
import { imageActivities } from '../../activities/images/index.js';
import { listTags } from '../../activities/images/registry-tags.js';
import {
  applicationWorkflowId,
  imagePolicyWorkflowId,
  pipelineTriggerId,
  repoWatcherId,
} from '../../core/workflow-ids.js';
import { startReceiver } from '../../scripts/stack/simulators/http-receiver.js';
import { type ImagePolicyStatus, imagePolicyStatusQuery } from '../../workflows/image/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { chartServers } from '../helpers/charts.js';
import { pushImageTag } from '../helpers/images.js';
import { waitFor } from '../helpers/wait-for.js';
import { endTestWorkflows } from './helpers/end-workflows.js';
import { servedRepo } from './helpers/git-repo.js';
import { imagePolicyYaml, registryWorkerOptions } from './helpers/image-registry.js';
import { deploymentImage, testKube } from './helpers/kube.js';
import { deploymentYaml } from './helpers/manifests.js';
import { recordHistory } from './helpers/record-history.js';
import { startRepoWatcher } from './helpers/repo-watcher.js';
import { json, sluice } from './helpers/sluice-cli.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

const servers = chartServers();

describe('image automation on the real stack', () => {
  const suffix = Date.now().toString(36);
  const repo = servedRepo('images');
  const other = servedRepo('images-other');
  const repoId = `images-${suffix}`;
  const team = `team-${suffix}`;
  const app = `web-${suffix}`;
  const ns = `img-${suffix}`;
  const web = `${servers.registry.host}/img-${suffix}/web`;
  const api = `${servers.registry.host}/img-${suffix}/api`;
  const kube = testKube();
  const policyId = (name: string) => imagePolicyWorkflowId(repoId, 'apps', name);
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let hooks: Awaited<ReturnType<typeof startReceiver>>;

  const policy = (name: string) => w.client.workflow.getHandle(policyId(name)).query(imagePolicyStatusQuery);
  const imageCommits = () => {
    repo.git('fetch', '-q', 'origin');
    return repo
      .git('log', 'origin/main', '--format=%s')
      .split('\n')
      .filter((s) => s.startsWith('Update image'));
  };
  const deployedImage = () => deploymentImage(kube, ns, 'web');

  beforeAll(async () => {
    hooks = await startReceiver();
    w = await startTestWorker(
      'images',
      registryWorkerOptions(servers.registry, {
        ...openTestTrust,
        projects: [
          {
            name: team,
            // Only its own repository: the automation that writes elsewhere must be refused.
            sourceRepos: [repo.url],
            destinations: [{ cluster: '*', namespace: '*' }],
            clusterResourceAllowList: [{ group: '*', kind: '*' }],
          },
        ],
        repositories: [{ id: repoId, url: repo.url, projects: [team] }],
      }),
    );
    await pushImageTag(servers.registry, `img-${suffix}/web`, '1.0.0');
    await pushImageTag(servers.registry, `img-${suffix}/api`, '0.1.0');
    other.commit({ 'deploy/web.yaml': `image: ${web}:1.0.0 # {"$imagepolicy": "apps:web"}\n` }, 'init');
    repo.commit(
      {
        'deploy/web/deployment.yaml': deploymentYaml('web').replace(
          /image: .*/,
          `image: ${web}:1.0.0 # {"$imagepolicy": "apps:web"}`,
        ),
        'apps/app.yaml': `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: ${app}}
spec:
  source: {repoURL: ${repo.url}, targetRevision: main, path: deploy/web}
  destination: {namespace: ${ns}}
  syncPolicy: {automated: {prune: true}, retry: {limit: 0}, syncOptions: [CreateNamespace=true]}
`,
        'apps/images.yaml': `${imagePolicyYaml('web', web, "{semver: {range: '^1.0.0'}}")}---
apiVersion: sluice.dev/v1alpha1
kind: ImageUpdateAutomation
metadata: {name: web, namespace: apps}
spec:
  update: {path: deploy}
  policies: [web]
  git: {author: {name: Image Bot, email: bot@example.com}}
---
apiVersion: sluice.dev/v1alpha1
kind: ImageUpdateAutomation
metadata: {name: elsewhere, namespace: apps}
spec:
  update: {path: deploy}
  policies: [web]
  git: {repoURL: '${other.url}', branch: main}
---
${imagePolicyYaml('api', api, '{alphabetical: {order: asc}}')}  filterTags: {pattern: '^0\\.'}
---
apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata: {name: promote-${suffix}, namespace: apps}
spec:
  trigger: {image: {policyRef: {name: api}}}
  steps:
    - name: record
      uses: webhook
      with:
        url: '${hooks.url}/image'
        body: {tag: '\${{ trigger.image.tag }}', image: '\${{ trigger.image.image }}', digest: '\${{ trigger.image.digest }}', kind: '\${{ trigger.kind }}'}
---
${imagePolicyYaml('metadata-service', '169.254.169.254/latest/meta-data', '{alphabetical: {}}')}`,
      },
      'images',
    );
    await startRepoWatcher(w, repoId, repo.url, 'apps');
  }, 60_000);

  afterAll(async () => {
    await endTestWorkflows(w?.client, {
      ids: [
        repoWatcherId(repoId),
        policyId('web'),
        policyId('api'),
        policyId('metadata-service'),
        pipelineTriggerId(repoId, `promote-${suffix}`),
        applicationWorkflowId(repoId, app),
      ],
    });
    await kube.core.deleteNamespace({ name: ns }).catch(() => {});
    await hooks?.close();
    await w?.stop();
  });

  it('selects the current tag, finds the file already at it, and the Application deploys it', async () => {
    const s = await waitFor(
      'the web policy to select 1.0.0',
      async () => {
        const st = await policy('web');
        return st.written['apps/web'] && st;
      },
      60_000,
      250,
    );
    expect(s).toMatchObject<Partial<ImagePolicyStatus>>({
      selected: expect.objectContaining({ tag: '1.0.0' }),
    });
    expect(s.selected?.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(s.written['apps/web']).toMatchObject({ tag: '1.0.0', changed: false });
    expect(imageCommits()).toEqual([]);
    await waitFor(
      'the Deployment at 1.0.0',
      async () => (await deployedImage()) === `${web}:1.0.0`,
      120_000,
      500,
    );
    const watcher = await w.client.workflow.getHandle(repoWatcherId(repoId)).query(repoStatusQuery);
    expect(Object.keys(watcher.imagePolicies ?? {}).sort()).toEqual(
      [policyId('api'), policyId('metadata-service'), policyId('web')].sort(),
    );
  });

  it('commits a new tag in range once (message naming image and old → new), and the cluster runs it', async () => {
    const digest = await pushImageTag(servers.registry, `img-${suffix}/web`, '1.1.0');
    await pushImageTag(servers.registry, `img-${suffix}/web`, '2.0.0'); // outside ^1.0.0
    const s = await waitFor(
      'the automation to write 1.1.0',
      async () => {
        const st = await policy('web');
        return st.written['apps/web']?.tag === '1.1.0' && st;
      },
      60_000,
      250,
    );
    expect(s.selected).toMatchObject({ tag: '1.1.0', digest });
    expect(s.written['apps/web']?.changed).toBe(true);
    expect(imageCommits()).toEqual([`Update image ${web}: 1.0.0 → 1.1.0`]);
    const message = repo.git('log', '-1', 'origin/main', '--format=%an <%ae>%n%B');
    expect(message).toContain('Image Bot <bot@example.com>');
    expect(message).toContain(`deploy/web/deployment.yaml:`);
    expect(repo.git('show', 'origin/main:deploy/web/deployment.yaml')).toContain(
      `image: ${web}:1.1.0 # {"$imagepolicy": "apps:web"}`,
    );
    await waitFor(
      'the Deployment at 1.1.0',
      async () => (await deployedImage()) === `${web}:1.1.0`,
      120_000,
      500,
    );

    // More scans find nothing new; a retried write (as after a push whose answer was lost) pushes nothing.
    const scans = s.scans;
    await waitFor('three more scans', async () => (await policy('web')).scans >= scans + 3, 30_000, 250);
    const again = await imageActivities(w.deps).imageWriteBack({
      caller: { repoId, project: team },
      automation: 'apps/web',
      policy: { namespace: 'apps', name: 'web' },
      selection: { image: web, tag: '1.1.0' },
      repoURL: repo.url,
      branch: 'main',
      path: 'deploy',
      workflowId: 'test',
    });
    expect(again.changed).toBe(false);
    expect(imageCommits()).toHaveLength(1);
  });

  it('shows the selection and the last commit with sluice image list / get (built CLI)', async () => {
    const list = await json<(ImagePolicyStatus & { workflowId: string })[]>(['image', 'list']);
    expect(list.find((p) => p.workflowId === policyId('web'))).toMatchObject({
      policy: 'apps/web',
      image: web,
      selected: expect.objectContaining({ tag: '1.1.0' }),
    });
    const table = await sluice(['image', 'get', policyId('web')]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/selected:\s+1\.1\.0@sha256:/);
    expect(table.stdout).toMatch(/apps\/web\s+1\.1\.0\s+[0-9a-f]{7}\s+yes/);
    const missing = await sluice(['image', 'get', `no-such-policy-${suffix}`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('not found');
  });

  it('lists tags page by page through the registry’s Link header', async () => {
    const { client, location } = await imageClient(
      {
        repos: w.deps.trust.helmRepositories,
        secrets: w.deps.secrets,
        secretAccess: w.deps.secretAccess,
        egress: async () => {
          throw new Error('a configured registry is not reached through egress');
        },
        tokens: new RegistryTokens(),
      },
      web,
      { repoId, project: team },
    );
    const urls: string[] = [];
    const observed = {
      ...client,
      fetch: (url: string | URL, init?: RequestInit) => {
        urls.push(String(url));
        return client.fetch(url, init);
      },
    };
    expect((await listTags(observed, location, 2)).sort()).toEqual(['1.0.0', '1.1.0', '2.0.0']);
    const lists = urls.filter((u) => u.includes('/tags/list')).map((u) => new URL(u).search);
    expect(lists[0]).toBe('?n=2');
    expect(lists.length).toBeGreaterThan(1);
  });

  it('refuses to write into a repository the Project does not allow (attack)', async () => {
    const s = await waitFor('the refused write', async () => {
      const st = await policy('web');
      return st.refused?.['apps/elsewhere'] && st;
    });
    // Refused for good at this tag: not cloned again each interval while the definition stays as it is.
    expect(s.refused?.['apps/elsewhere']?.tag).toBe(s.selected?.tag);
    expect(s.refused?.['apps/elsewhere']?.error).toMatch(
      /ImageUpdateAutomation apps\/elsewhere .*is not in the project's sourceRepos/,
    );
    expect(s.written['apps/elsewhere']).toBeUndefined();
    other.git('fetch', '-q', 'origin');
    expect(other.git('log', 'origin/main', '--format=%s')).toBe('init');
  });

  it('refuses an image on an address the egress policy does not allow (attack)', async () => {
    const s = await waitFor('the refused scan', async () => {
      const st = await policy('metadata-service');
      return st.lastError ? st : undefined;
    });
    expect(s.lastError).toMatch(/egress refused.*169\.254\.169\.254/);
    expect(s.selected).toBeUndefined();
  });

  it('starts a Pipeline run per new tag with trigger.image as input', async () => {
    const bodies = () =>
      hooks.requests
        .filter((r) => r.path === '/image')
        .map((r) => JSON.parse(r.body) as Record<string, string>);
    await waitFor('the run for 0.1.0', async () => bodies().length >= 1, 60_000, 250);
    const digest = await pushImageTag(servers.registry, `img-${suffix}/api`, '0.2.0');
    await pushImageTag(servers.registry, `img-${suffix}/api`, '1.0.0'); // filtered out by ^0\.
    await waitFor('the run for 0.2.0', async () => bodies().length >= 2, 60_000, 250);
    const st = await policy('api');
    await waitFor('more scans', async () => (await policy('api')).scans >= st.scans + 2, 30_000, 250);
    expect(bodies()).toEqual([
      expect.objectContaining({ tag: '0.1.0', image: api, kind: 'image' }),
      { tag: '0.2.0', image: api, digest, kind: 'image' },
    ]);
    // Replay fixtures (npm run record:histories): the policies and the watcher that started them.
    const secrets = [servers.registry.password];
    await recordHistory(w.client, policyId('web'), 'image-policy-commit-once', { secrets });
    await recordHistory(w.client, policyId('api'), 'image-policy-pipeline-trigger', { secrets });
    await recordHistory(w.client, pipelineTriggerId(repoId, `promote-${suffix}`), 'pipeline-trigger-image', {
      secrets,
    });
    await recordHistory(w.client, repoWatcherId(repoId), 'repo-watcher-image-policies', { secrets });
  });
});
