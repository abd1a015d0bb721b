import { describe, expect, it } from 'vitest';
import { jobManifest, labelValue } from '../../../../../activities/analysis/job/manifest.js';
import { jobMetricName } from '../../../../../activities/analysis/job/name.js';
import { jobOutcome } from '../../../../../activities/analysis/job/result.js';
import { type QueryModel, renderQuery } from '../../../../../activities/analysis/template.js';
import type { JobMetric } from '../../../../../schemas/types.generated.js';

const model: QueryModel = {
  name: 'web',
  namespace: 'shop',
  target: 'web',
  service: 'web',
  interval: '1m',
  variables: { host: 'web.shop' },
};
const fill = (s: string) => renderQuery(s, model);
const job: JobMetric = {
  metadata: { labels: { team: 'a', 'sluice.dev/rollout': 'other' }, annotations: { for: '{{ name }}' } },
  spec: {
    backoffLimit: 0,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'smoke',
            image: 'curl',
            args: ['http://{{ variables.host }}/health', '{{target}}-canary'],
            env: [
              { name: 'NS', value: '{{ namespace }}' },
              { name: 'N', value: '3' },
            ],
          },
        ],
      },
    },
  },
};

describe('jobMetricName', () => {
  it('is the same for the same measurement and check, and differs otherwise', () => {
    const a = jobMetricName('rollout/web/abc/run1/7', 'smoke');
    expect(a).toBe(jobMetricName('rollout/web/abc/run1/7', 'smoke'));
    expect(a).toMatch(/^sluice-smoke-[0-9a-f]{10}$/);
    expect(jobMetricName('rollout/web/abc/run1/8', 'smoke')).not.toBe(a);
    expect(jobMetricName('rollout/web/abc/run1/7', 'load')).not.toBe(jobMetricName('x', 'load'));
  });

  it('stays a DNS label of at most 52 characters whatever the check is called', () => {
    const long = jobMetricName('m', `Very_Long.Check-${'x'.repeat(80)}`);
    expect(long.length).toBeLessThanOrEqual(52);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(jobMetricName('m', '---')).toMatch(/^sluice-[0-9a-f]{10}$/);
  });
});

describe('jobManifest', () => {
  const make = (j: JobMetric = job) =>
    jobManifest({ job: j, name: 'sluice-smoke-1', namespace: 'shop', rollout: 'web', check: 'smoke', fill });

  it('fills placeholders in every string, in the Rollout’s namespace, with Sluice’s labels winning', () => {
    const m = make();
    expect(m.metadata).toEqual({
      name: 'sluice-smoke-1',
      namespace: 'shop',
      labels: { team: 'a', 'sluice.dev/rollout': 'web', 'sluice.dev/metric': 'smoke' },
      annotations: { for: 'web' },
    });
    const container = (m.spec.template as { spec: { containers: Record<string, unknown>[] } }).spec
      .containers[0];
    expect(container?.args).toEqual(['http://web.shop/health', 'web-canary']);
    expect(container?.env).toEqual([
      { name: 'NS', value: 'shop' },
      { name: 'N', value: '3' },
    ]);
    expect(m.spec.backoffLimit).toBe(0);
  });

  it('names the field of an unknown placeholder or variable', () => {
    const bad = structuredClone(job);
    const [container] = (bad.spec.template as { spec: { containers: { args: string[] }[] } }).spec.containers;
    if (container) container.args = ['{{ variables.port }}'];
    expect(() => make(bad)).toThrow(
      /^spec\.job\.spec\.template\.spec\.containers\[0\]\.args\[0\]: job uses \{\{ variables\.port \}\} but the check sets no variable "port"/,
    );
  });

  it('refuses a namespace or a name in the template’s metadata', () => {
    expect(() => make({ ...job, metadata: { namespace: 'kube-system' } as JobMetric['metadata'] })).toThrow(
      /may set labels and annotations only: the Job runs in the Rollout's namespace shop/,
    );
    expect(() => make({ ...job, metadata: { name: 'x' } as JobMetric['metadata'] })).toThrow(
      /labels and annotations only/,
    );
  });

  it('makes label values of any check name', () => {
    expect(labelValue('smoke test/éa')).toBe('smoke-test-a');
    expect(labelValue(`-${'a'.repeat(70)}`)).toHaveLength(63);
  });
});

describe('jobOutcome', () => {
  it('reads Complete and SuccessCriteriaMet as success, Failed and FailureTarget as failure', () => {
    expect(jobOutcome(undefined)).toEqual({ ended: false });
    expect(jobOutcome({ conditions: [{ type: 'Complete', status: 'False' }] })).toEqual({ ended: false });
    expect(jobOutcome({ conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }] })).toEqual({
      ended: true,
      succeeded: true,
      reason: 'completed',
    });
    expect(jobOutcome({ conditions: [{ type: 'Complete', status: 'True' }] })).toMatchObject({
      succeeded: true,
    });
    expect(
      jobOutcome({
        conditions: [
          {
            type: 'FailureTarget',
            status: 'True',
            reason: 'DeadlineExceeded',
            message: 'Job was active longer than specified deadline',
          },
        ],
      }),
    ).toEqual({
      ended: true,
      succeeded: false,
      reason: 'DeadlineExceeded: Job was active longer than specified deadline',
    });
    expect(jobOutcome({ conditions: [{ type: 'Failed', status: 'True' }] })).toEqual({
      ended: true,
      succeeded: false,
      reason: 'failed',
    });
  });
});
