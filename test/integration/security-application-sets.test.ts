// ApplicationSet generators written as the attack: a pipeline-file author aims a git generator outside the
// checkout (`..`, a symlinked folder) or at a repository their Project does not allow, or templates a
// Project the repository is not bound to. The activity that loads the commit must refuse each, naming the
// set's file and line; the generated Applications it does accept go through the same checks as written ones.
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PipelineCommit } from '../../activities/git/pipeline-commit.js';
import { createActivities } from '../../activities/index.js';
import type { TrustConfig } from '../../activities/trust/config.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { servedRepo } from './helpers/git-repo.js';

const setYaml = (generator: string, extra = '') => `apiVersion: sluice.dev/v1alpha1
kind: ApplicationSet
metadata: {name: attack}
spec:
  generators:
${generator}
  template:
    metadata: {name: "gen-{{path.basename}}"}
    spec:
      source: {repoURL: https://example.invalid/x.git, path: "{{path}}"}
      destination: {namespace: "{{path.basename}}"}
${extra}`;

describe('ApplicationSet generators stay inside the checkout and the Project', () => {
  const watched = servedRepo('appset-attack');
  const other = servedRepo('appset-other');
  const env = new MockActivityEnvironment();
  const trust = (sourceRepos: string[]): Partial<TrustConfig> => ({
    projects: [{ name: 'default', sourceRepos, destinations: [{ namespace: '*' }] }],
  });
  const load = async (
    t: Partial<TrustConfig>,
    files: Record<string, string | null>,
    clusters?: { name: string; labels?: Record<string, string> }[],
  ) => {
    const deps = buildActivityDeps({
      cacheDir: mkdtempSync(join(tmpdir(), 'sluice-appset-attack-')),
      trust: t,
      ...(clusters ? { clusters } : {}),
    });
    const sha = watched.commit(files);
    const commit: PipelineCommit = await env.run(createActivities(deps).loadPipelineCommit, {
      repoId: 'appset-attack',
      repo: { url: watched.url, revision: 'main', path: '' },
      sha,
    });
    return Object.assign(commit, { deps });
  };
  const generated = (c: PipelineCommit) =>
    c.objects
      .filter((o) => o.kind === 'Application')
      .map((o) => o.metadata.name)
      .sort();

  beforeAll(() => {
    other.commit({ 'teams/red/x.yaml': 'a: 1\n', 'teams/blue/x.yaml': 'a: 2\n' });
    watched.commit({ 'apps/good/cm.yaml': 'kind: ConfigMap\n' });
    // A folder that is a symlink out of the checkout, and one whose target is inside: neither is a folder of the tree.
    symlinkSync('/etc', join(watched.work, 'apps', 'evil'));
    symlinkSync('good', join(watched.work, 'apps', 'alias'));
  });

  it('a git directory generator lists only real folders: a symlinked folder (out or in) yields nothing', async () => {
    const c = await load(trust([watched.url]), {
      'set.yaml': setYaml('    - git: {directories: [{path: "apps/*"}]}'),
    });
    expect(c.errors).toEqual([]);
    expect(generated(c)).toEqual(['gen-good']);
  });

  it('a path with .. or a leading / is refused at the set’s line', async () => {
    for (const path of ['../*', 'apps/../../*', '/etc/*']) {
      const c = await load(trust([watched.url]), {
        'set.yaml': setYaml(`    - git: {directories: [{path: "${path}"}]}`),
      });
      expect(c.errors).toContainEqual(
        expect.stringMatching(
          /^set\.yaml:6:\d+: spec\.generators\[0\]\.git\.directories\[0\]\.path: must be a relative path inside the repository/,
        ),
      );
      expect(c.objects).toEqual([]);
    }
  });

  it('another repository outside the Project’s sourceRepos is refused before it is contacted; inside it, it is read', async () => {
    const set = setYaml(
      `    - git: {repoURL: "${other.url}", revision: main, directories: [{path: "teams/*"}]}`,
    );
    const refused = await load(trust([watched.url]), { 'set.yaml': set });
    expect(refused.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^set\\.yaml:6:\\d+: spec\\.generators\\[0\\]\\.git\\.repoURL: ApplicationSet default/attack \\(project default\\): source ${other.url.replace(/[.]/g, '\\.')} is not in the project's sourceRepos`,
        ),
      ),
    ]);
    expect(refused.objects).toEqual([]);
    // Never fetched: the cache holds no copy of the refused repository.
    expect(existsSync(refused.deps.repoCache.gitdir(other.url))).toBe(false);
    const allowed = await load(trust([watched.url, other.url]), { 'set.yaml': set });
    expect(allowed.errors).toEqual([]);
    expect(generated(allowed)).toEqual(['gen-blue', 'gen-red']);
    expect(existsSync(allowed.deps.repoCache.gitdir(other.url))).toBe(true);
    // A revision that does not exist is a permanent answer: an invalid commit naming it, not a failed activity.
    const missing = await load(trust([watched.url, other.url]), {
      'set.yaml': set.replace('revision: main', 'revision: no-such-branch'),
    });
    expect(missing.errors).toEqual([
      expect.stringMatching(/^set\.yaml:6:\d+: spec\.generators\[0\]\.git\.repoURL: http:.*no-such-branch/),
    ]);
  });

  it('a templated Project the repository is not bound to is refused as for a written Application', async () => {
    const c = await load(trust([watched.url]), {
      'set.yaml': setYaml(
        '    - list: {elements: [{team: ops}]}\n    - git: {directories: [{path: "apps/*"}]}',
      ).replace(
        'destination: {namespace: "{{path.basename}}"}',
        'destination: {namespace: "{{path.basename}}"}\n      project: "{{team}}"',
      ),
    });
    // The list element has no path.basename, the git one no team: both unfillable, named by element.
    expect(c.errors).toContainEqual(
      expect.stringContaining('spec.generators[0].list.elements[0]: no parameter fills'),
    );
    const bound = await load(trust([watched.url]), {
      'set.yaml': setYaml('    - git: {directories: [{path: "apps/*"}]}').replace(
        'destination: {namespace: "{{path.basename}}"}',
        'destination: {namespace: "{{path.basename}}"}\n      project: "team-{{path.basename}}"',
      ),
    });
    expect(bound.errors).toEqual([
      expect.stringMatching(
        /^set\.yaml:\d+:\d+: spec\.template\.spec\.project: generated Application "gen-good" \(spec\.generators\[0\]\.git\.directories: apps\/good\): Project "team-good" is not bound to this repository/,
      ),
    ]);
  });

  it('a clusters generator yields in-cluster and the worker’s clusters, selected by label', async () => {
    const c = await load(
      trust([watched.url]),
      {
        'set.yaml': `apiVersion: sluice.dev/v1alpha1
kind: ApplicationSet
metadata: {name: fleet}
spec:
  generators:
    - clusters: {selector: {matchLabels: {env: prod}}}
  template:
    metadata: {name: "web-{{nameNormalized}}"}
    spec:
      source: {repoURL: ${watched.url}, path: apps/good}
      destination: {cluster: "{{name}}", namespace: "web-{{metadata.labels.region}}"}
`,
      },
      [
        { name: 'prod-eu', labels: { env: 'prod', region: 'eu' } },
        { name: 'staging', labels: { env: 'staging', region: 'eu' } },
      ],
    );
    expect(c.errors).toEqual([]);
    const apps = c.objects.filter((o) => o.kind === 'Application');
    expect(apps.map((o) => [o.metadata.name, (o.spec as { destination: unknown }).destination])).toEqual([
      ['web-prod-eu', { cluster: 'prod-eu', namespace: 'web-eu' }],
    ]);
  });
});
