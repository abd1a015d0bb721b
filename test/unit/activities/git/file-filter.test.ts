import { describe, expect, it } from 'vitest';
import { pipelineFileFilter } from '../../../../activities/git/file-filter.js';

const files = [
  'README.md',
  'teams/a/app.yaml',
  'teams/a/.argocd/app.yml',
  'teams/b/app.yaml',
  'teams/b/chart/templates/deployment.yaml',
  'teams/b/chart/values.yaml',
  'other/app.yaml',
];
const chosen = (path: string, globs?: Parameters<typeof pipelineFileFilter>[1]) =>
  files.filter(pipelineFileFilter(path, globs));

describe('pipelineFileFilter', () => {
  it('reads every YAML file under the watched folder when no globs are given', () => {
    expect(chosen('.')).toEqual(files.filter((f) => f !== 'README.md'));
  });

  it('matches include and exclude against the path relative to the watched folder, dotfiles included', () => {
    expect(chosen('./teams/', { exclude: ['b/**'] })).toEqual([
      'teams/a/app.yaml',
      'teams/a/.argocd/app.yml',
      'other/app.yaml', // readFiles never walks outside the folder; the filter only sees paths inside it
    ]);
    expect(chosen('teams', { include: ['*/*.yaml', 'a/**'], exclude: ['**/chart/**'] })).toEqual([
      'teams/a/app.yaml',
      'teams/a/.argocd/app.yml',
      'teams/b/app.yaml',
      'other/app.yaml',
    ]);
  });

  it('never reads a file that is not YAML, whatever include says', () => {
    expect(chosen('', { include: ['**'] })).not.toContain('README.md');
  });

  it('treats an empty include list as no include list', () => {
    expect(chosen('', { include: [], exclude: ['teams/**'] })).toEqual(['other/app.yaml']);
  });
});
