import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { convertCommand } from '../../../cli/commands/convert.js';

const fixtures = 'test/fixtures/pipeline-files/compat';

describe('sluice convert', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('prints Sluice YAML on stdout and the converter’s notes on stderr', async () => {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
      out += String(c);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
      err += String(c);
      return true;
    });
    await convertCommand().parseAsync(
      [`${fixtures}/argo-rollout.yaml`, `${fixtures}/argo-analysis-templates.yaml`],
      { from: 'user' },
    );
    const docs = parseAllDocuments(out).map((d) => d.toJS() as { apiVersion: string; kind: string });
    expect(docs.map((d) => d.kind).sort()).toEqual(['MetricTemplate', 'MetricTemplate', 'Rollout']);
    expect(docs.every((d) => d.apiVersion === 'sluice.dev/v1alpha1')).toBe(true);
    expect(out).toContain('# from test/fixtures/pipeline-files/compat/argo-rollout.yaml:');
    expect(err).toMatch(/^note: .*argo-rollout\.yaml:\d+:\d+: spec\.strategy\.canary\.trafficRouting/m);
    expect(process.exitCode).toBeUndefined();
  });
});
