import { describe, expect, it } from 'vitest';
import type { AppRecord } from '../../../workflows/repo-watcher/messages.js';
import { noticesToSend, planSources } from '../../../workflows/repo-watcher/source-plan.js';

const record = (
  name: string,
  project: string,
  repoURL: string,
  extra: Partial<AppRecord> = {},
): AppRecord => ({
  name,
  project,
  revision: 'r',
  specHash: 'h',
  source: { repoURL, targetRevision: 'main' },
  ...extra,
});

describe('planSources', () => {
  const apps = {
    'app/r/web': record('web', 'shop', 'http://git/manifests.git'),
    'app/r/api': record('api', 'shop', 'http://git/manifests.git'),
    'app/r/jobs': record('jobs', 'batch', 'http://git/manifests.git'),
    'app/r/infra': record('infra', 'shop', 'http://git/infra.git'),
    'app/r/old': { name: 'old', project: 'shop', revision: 'r', specHash: 'h' },
  };

  it('asks once per distinct source and Project, and skips records from before sources were kept', () => {
    const plan = planSources(apps, 'r');
    expect(plan.requests).toEqual([
      {
        repoURL: 'http://git/manifests.git',
        targetRevision: 'main',
        caller: { repoId: 'r', project: 'shop' },
        apps: ['web', 'api'],
      },
      {
        repoURL: 'http://git/manifests.git',
        targetRevision: 'main',
        caller: { repoId: 'r', project: 'batch' },
        apps: ['jobs'],
      },
      {
        repoURL: 'http://git/infra.git',
        targetRevision: 'main',
        caller: { repoId: 'r', project: 'shop' },
        apps: ['infra'],
      },
    ]);
    expect(plan.apps).toEqual([['app/r/web', 'app/r/api'], ['app/r/jobs'], ['app/r/infra']]);
  });

  it('after a push, asks only for the sources of that repository, however its URL is spelled', () => {
    const plan = planSources(apps, 'r', ['http://git/infra/']);
    expect(plan.apps).toEqual([['app/r/infra']]);
    expect(planSources(apps, 'r', ['http://git/elsewhere.git']).requests).toEqual([]);
  });
});

describe('noticesToSend', () => {
  it('tells each application its own answer, only when it differs from what it was told', () => {
    const sha = 'a'.repeat(40);
    const apps = {
      'app/r/web': record('web', 'shop', 'http://git/m.git', { told: sha }),
      'app/r/api': record('api', 'shop', 'http://git/m.git'),
      'app/r/jobs': record('jobs', 'batch', 'http://git/m.git'),
    };
    const plan = planSources(apps, 'r');
    const notices = noticesToSend(apps, plan, [{ sha }, { error: 'not in sourceRepos' }]);
    expect(notices).toEqual([
      { id: 'app/r/api', notice: { repoURL: 'http://git/m.git', targetRevision: 'main', sha }, told: sha },
      {
        id: 'app/r/jobs',
        notice: { repoURL: 'http://git/m.git', targetRevision: 'main', error: 'not in sourceRepos' },
        told: 'error: not in sourceRepos',
      },
    ]);
    // The batch Project's error never carries the commit the shop Project may read.
    expect(notices[1]?.notice).not.toHaveProperty('sha');
  });
});
