import { describe, expect, it } from 'vitest';
import { revisionProblem } from '../../../../core/sync/revision-check.js';

const sha = 'a'.repeat(40);
const git = { repoURL: 'https://git.example/x.git', path: '.' };
const chart = { repoURL: 'oci://registry.example/charts', chart: 'web' };

describe('revisionProblem', () => {
  it('takes a full SHA for a Git source, an exact version for a chart, both joined for several sources', () => {
    expect(revisionProblem({ source: git }, sha)).toBeUndefined();
    expect(revisionProblem({ source: chart }, '1.2.3')).toBeUndefined();
    expect(revisionProblem({ source: chart }, '2.0.0-rc.1+build.5')).toBeUndefined();
    expect(revisionProblem({ sources: [chart, { ...git, ref: 'values' }] }, `1.4.0,${sha}`)).toBeUndefined();
  });

  it('refuses constraints, branch names, paths and a wrong count, naming what each source needs', () => {
    expect(revisionProblem({ source: git }, 'main')).toBe(
      'revision must be a full 40-character commit SHA, got "main"',
    );
    expect(revisionProblem({ source: chart }, '^1.2')).toBe(
      'revision "^1.2": source 1 needs a chart version, got "^1.2"',
    );
    expect(revisionProblem({ source: chart }, '1.0.0/../../x')).toMatch(/needs a chart version/);
    expect(revisionProblem({ source: chart }, sha)).toMatch(/needs a chart version/);
    expect(revisionProblem({ sources: [chart, git] }, '1.4.0')).toBe(
      'revision "1.4.0" names 1 source revision(s); the Application has 2 source(s): give a chart version, a full commit SHA, joined by ","',
    );
    expect(revisionProblem({ sources: [chart, git] }, '1.4.0,main')).toBe(
      'revision "1.4.0,main": source 2 needs a full commit SHA, got "main"',
    );
  });
});
