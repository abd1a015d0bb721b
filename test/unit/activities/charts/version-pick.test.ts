import { describe, expect, it } from 'vitest';
import { chartRepoFor, hostOf } from '../../../../activities/charts/chart-repos.js';
import { pickChartVersion } from '../../../../activities/charts/version-pick.js';

const versions = ['1.0.0', '1.2.0', '1.2.5', '1.3.0-rc.1', '2.0.0', '2.1.0-beta.1', 'latest'];

describe('pickChartVersion (as Helm resolves constraints)', () => {
  it.each([
    ['1.2.0', '1.2.0'],
    ['^1.2', '1.2.5'],
    ['~1.2.0', '1.2.5'],
    ['>=1.0.0 <2.0.0', '1.2.5'],
    ['*', '2.0.0'],
    ['1.3.0-rc.1', '1.3.0-rc.1'],
    ['>=1.3.0-rc.0 <1.4.0', '1.3.0-rc.1'],
  ])('%s resolves to %s (prereleases only when asked for)', (constraint, want) => {
    expect(pickChartVersion(versions, constraint)).toBe(want);
  });

  it('answers undefined when nothing matches, and skips tags that are not versions', () => {
    expect(pickChartVersion(versions, '^3')).toBeUndefined();
    expect(pickChartVersion(['latest'], '*')).toBeUndefined();
  });
});

describe('chartRepoFor', () => {
  const repos = [
    { url: 'https://charts.example/stable' },
    { url: 'https://charts.example/stable/team', secretRef: { name: 'team' } },
    { url: 'oci://registry.example/charts/' },
  ];

  it('takes the longest prefix at a path boundary', () => {
    expect(chartRepoFor('https://charts.example/stable/team', repos)?.secretRef?.name).toBe('team');
    expect(chartRepoFor('https://charts.example/stable/', repos)?.url).toBe('https://charts.example/stable');
    expect(chartRepoFor('oci://registry.example/charts/web', repos)?.url).toBe(
      'oci://registry.example/charts/',
    );
  });

  it('does not match a sibling that merely starts with the same letters (attack: credentials to another repository)', () => {
    expect(chartRepoFor('https://charts.example/stable-evil', repos)).toBeUndefined();
    expect(chartRepoFor('https://charts.example.evil.test/stable', repos)).toBeUndefined();
  });

  it('reads an oci:// URL host like an https:// one', () => {
    expect(hostOf('oci://registry.example:5000/charts')).toBe('registry.example:5000');
  });
});
