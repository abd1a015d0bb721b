import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepoSpec } from '../../activities/git/repo-spec.js';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { orMissing, testKube } from './helpers/kube.js';
import { misspelledApplicationYaml } from './helpers/pipeline-yaml.js';
import { startTestWorker } from './helpers/test-worker.js';

// A monorepo as teams keep one: two teams' folders under teams/, team a's Helm chart (templates that are
// not YAML until rendered) beside its Application, team b's folder holding a broken pipeline file that
// the repository's exclude glob keeps out. A real watcher on the stack's Git server reads it.
describe('monorepo: include/exclude and Helm templates under the watched path', () => {
  const suffix = Date.now().toString(36);
  const repo = servedRepo('monorepo');
  const app = `a-${suffix}`;
  const ns = `mono-${suffix}`;
  const kube = testKube();
  const watched = `mono-${suffix}`;
  const unfiltered = `mono-all-${suffix}`;
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let sha = '';

  const watch = (repoId: string, spec: Partial<RepoSpec>) =>
    w.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: repoWatcherId(repoId),
      args: [
        { repoId, repo: { url: repo.url, revision: 'main', path: 'teams', ...spec }, pollInterval: '2s' },
      ],
    });
  const status = (repoId: string) =>
    w.client.workflow.getHandle(repoWatcherId(repoId)).query(repoStatusQuery);

  beforeAll(async () => {
    w = await startTestWorker('monorepo');
    sha = repo.commit({
      'teams/a/app.yaml': `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: ${app}}
spec:
  source: {repoURL: ${repo.url}, targetRevision: main, path: teams/a/chart}
  destination: {namespace: ${ns}}
  syncPolicy: {automated: {prune: true}, retry: {limit: 0}, syncOptions: [CreateNamespace=true]}
`,
      'teams/a/chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'teams/a/chart/values.yaml': 'enabled: true\ncolor: blue\n',
      // Go templates: this file does not parse as YAML, and declares no apiVersion Sluice reads.
      'teams/a/chart/templates/configmap.yaml': `{{- if .Values.enabled }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  color: {{ .Values.color | quote }}
{{- end }}
`,
      'teams/b/broken.yaml': misspelledApplicationYaml(`b-${suffix}`),
    });
  });
  afterAll(async () => {
    for (const id of [repoWatcherId(watched), repoWatcherId(unfiltered), applicationWorkflowId(watched, app)])
      await w.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    await kube.core.deleteNamespace({ name: ns }).catch(() => {});
    await w?.stop();
  });

  it('without exclude, team b’s broken file makes the commit invalid (the control)', async () => {
    await watch(unfiltered, {});
    const s = await waitFor('the invalid commit', async () => {
      const st = await status(unfiltered);
      return st.invalid?.sha === sha && st;
    });
    expect(s.invalid?.errors).toContainEqual(
      expect.stringMatching(/^teams\/b\/broken\.yaml:\d+:\d+: spec\.destinaton: unknown field/),
    );
    expect(s.invalid?.errors.every((e) => e.startsWith('teams/b/broken.yaml:'))).toBe(true);
    expect(s.apps).toEqual({});
  });

  it('with exclude: [b/**] the commit is valid, and the chart whose templates sit under the watched path syncs', async () => {
    await watch(watched, { exclude: ['b/**'] });
    const s = await waitFor('the valid commit', async () => {
      const st = await status(watched);
      return st.lastValidSha === sha && st;
    });
    expect(s.invalid).toBeUndefined();
    expect(Object.keys(s.apps)).toEqual([applicationWorkflowId(watched, app)]);
    const appStatus = await waitFor(
      'the chart to be Synced and Healthy',
      async () => {
        const a = await w.client.workflow
          .getHandle(applicationWorkflowId(watched, app))
          .query(applicationStatusQuery);
        return a.syncStatus === 'Synced' && a.health === 'Healthy' && a;
      },
      90_000,
      250,
    );
    expect(appStatus).toMatchObject({ syncedRevision: sha, source: 'teams/a/app.yaml:1' });
    const cm = await orMissing(kube.core.readNamespacedConfigMap({ name: `${app}-config`, namespace: ns }));
    expect(cm?.data).toEqual({ color: 'blue' });
  });
});
