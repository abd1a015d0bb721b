// Projects kept in an admin repository (Argo CD's AppProjects in Git), read over smart HTTP by the
// worker's own Git cache: the newest valid set applies, an invalid commit keeps the last valid one,
// and without any valid set every check fails closed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { servedRepo } from './helpers/git-repo.js';

const project = (name: string, namespace: string) => `apiVersion: sluice.dev/v1alpha1
kind: Project
metadata: {name: ${name}}
spec:
  sourceRepos: ['https://git.example.com/shop.git']
  destinations: [{namespace: ${namespace}}]
`;

/** The worker's activity dependencies with an admin repository and one repository bound to `shop`. */
function registry(adminUrl: string) {
  return buildActivityDeps({
    kubeconfigPath: stackPaths(loadStackConfig()).kubeconfig,
    cacheDir: mkdtempSync(join(tmpdir(), 'sluice-admin-projects-')),
    trust: {
      adminRepository: { url: adminUrl, revision: 'main', path: 'projects', refreshInterval: '1ms' },
      repositories: [{ id: 'shop', url: 'https://git.example.com/shop.git', projects: ['shop'] }],
    },
  }).projects;
}

describe('Projects from the admin repository', () => {
  const shop = { repoId: 'shop', project: 'shop' };

  it('applies the newest valid Projects and keeps the last valid set when a commit is invalid', async () => {
    const admin = servedRepo('admin-projects');
    admin.commit({ 'projects/shop.yaml': project('shop', 'shop-prod') });
    const projects = registry(admin.url);
    expect((await projects.policyFor(shop)).destinations).toEqual([{ namespace: 'shop-prod' }]);

    admin.commit({ 'projects/shop.yaml': project('shop', 'shop-*') }, 'widen');
    expect((await projects.policyFor(shop)).destinations).toEqual([{ namespace: 'shop-*' }]);

    // A typo, and a kind the admin repository may not hold: the last valid set stays in force.
    admin.commit({
      'projects/shop.yaml': project('shop', 'everything').replace('destinations', 'destinatons'),
    });
    expect((await projects.policyFor(shop)).destinations).toEqual([{ namespace: 'shop-*' }]);
    admin.commit({
      'projects/shop.yaml': project('shop', 'shop-*'),
      'projects/app.yaml': `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: sneaky}
spec: {source: {repoURL: 'https://git.example.com/x.git'}, destination: {namespace: x}}
`,
    });
    expect((await projects.policyFor(shop)).destinations).toEqual([{ namespace: 'shop-*' }]);
    // The binding is the worker config's: a Project in the admin repository binds no repository.
    await expect(projects.policyFor({ repoId: 'other', project: 'shop' })).rejects.toThrow(
      'repository other is not bound to Project "shop" (bound: default)',
    );
  });

  it('fails closed when no valid set was ever read', async () => {
    const projects = registry('http://127.0.0.1:9/nothing.git');
    await expect(projects.policyFor(shop)).rejects.toThrow(/ECONNREFUSED|connect/);
    const invalid = servedRepo('admin-projects-bad');
    invalid.commit({
      'projects/shop.yaml': 'apiVersion: sluice.dev/v1alpha1\nkind: Project\nmetadata: {name: shop}\n',
    });
    await expect(registry(invalid.url).policyFor(shop)).rejects.toThrow(
      /admin repository .* is invalid: projects\/shop\.yaml:/,
    );
  });
});
