import { describe, expect, it } from 'vitest';
import { ProjectBindingError, ProjectRegistry } from '../../../../activities/trust/projects.js';

const shop = { id: 'shop', url: 'https://git.example.com/shop.git', projects: ['shop'] };
const legacy = { id: 'legacy', url: 'https://git.example.com/legacy.git', projects: ['default'] };

describe('ProjectRegistry', () => {
  const registry = new ProjectRegistry({
    projects: [{ name: 'shop', destinations: [{ namespace: 'shop-*' }] }],
    repositories: [shop, legacy],
  });

  it('answers the Project of a bound caller, its sourceRepos defaulting to the repositories bound to it', async () => {
    expect(await registry.policyFor({ repoId: 'shop', project: 'shop' })).toEqual({
      name: 'shop',
      destinations: [{ namespace: 'shop-*' }],
      sourceRepos: ['https://git.example.com/shop.git'],
    });
  });

  it('refuses a Project not bound to the caller’s repository, and one that is not defined', async () => {
    await expect(registry.policyFor({ repoId: 'legacy', project: 'shop' })).rejects.toThrow(
      'repository legacy is not bound to Project "shop" (bound: default)',
    );
    const loose = new ProjectRegistry({ projects: [], repositories: [{ ...shop, projects: ['ghost'] }] });
    await expect(loose.policyFor({ repoId: 'shop', project: 'ghost' })).rejects.toBeInstanceOf(
      ProjectBindingError,
    );
  });

  it('has a restrictive default Project unless the administrator defines one: own repositories, no destinations', async () => {
    expect(await registry.policyFor({ repoId: 'legacy', project: 'default' })).toEqual({
      name: 'default',
      destinations: [],
      sourceRepos: ['https://git.example.com/legacy.git'],
    });
    // A watcher started by hand for a repository not in the config is bound to the default Project only.
    expect(registry.boundProjects('hand-started')).toEqual(['default']);
  });

  it('reads Projects from the admin repository too, and refuses one defined in both places', async () => {
    const both = new ProjectRegistry(
      { projects: [{ name: 'shop', destinations: [] }], repositories: [shop] },
      async () => [{ name: 'shop', destinations: [{ namespace: '*' }] }],
    );
    await expect(both.policyFor({ repoId: 'shop', project: 'shop' })).rejects.toThrow(
      'Project "shop" is defined both in the worker config and in the admin repository',
    );
    const fromGit = new ProjectRegistry({ projects: [], repositories: [shop] }, async () => [
      { name: 'shop', sourceRepos: ['*'], destinations: [{ namespace: 'shop' }] },
    ]);
    expect((await fromGit.policyFor({ repoId: 'shop', project: 'shop' })).destinations).toEqual([
      { namespace: 'shop' },
    ]);
  });
});
