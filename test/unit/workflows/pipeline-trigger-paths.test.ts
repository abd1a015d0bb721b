import { describe, expect, it } from 'vitest';
import { runWorkflowId } from '../../../cli/commands/pipeline.js';
import { pathsMatch } from '../../../workflows/pipeline/trigger-paths.js';

describe('git trigger paths', () => {
  it('matches prefixes and globs; no paths or unknown changes match everything', () => {
    expect(pathsMatch(['apps/web/'], ['apps/web/deploy.yaml'])).toBe(true);
    expect(pathsMatch(['./apps/web/'], ['apps/web/deploy.yaml'])).toBe(true);
    expect(pathsMatch(['apps/web/'], ['apps/api/deploy.yaml'])).toBe(false);
    expect(pathsMatch(['charts/**/values.yaml'], ['charts/web/prod/values.yaml'])).toBe(true);
    expect(pathsMatch(['charts/*/values.yaml'], ['charts/web/prod/values.yaml'])).toBe(false);
    expect(pathsMatch(['*.md'], ['README.md'])).toBe(true);
    expect(pathsMatch(undefined, ['x'])).toBe(true);
    expect(pathsMatch(['apps/'], undefined)).toBe(true);
  });
});

describe('sluice pipeline run names', () => {
  it('accepts REPO/NAME/RUN and workflow IDs, and rejects anything else', () => {
    expect(runWorkflowId('shop/promote/3-abc1234')).toBe('pipeline/shop/promote/3-abc1234');
    expect(runWorkflowId('pipeline/shop/promote/3')).toBe('pipeline/shop/promote/3');
    expect(() => runWorkflowId('promote/3')).toThrow(/expected <repo>\/<pipeline>\/<run>/);
    expect(() => runWorkflowId('promote')).toThrow(/expected <repo>\/<pipeline>\/<run>/);
  });
});
