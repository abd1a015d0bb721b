import { describe, expect, it } from 'vitest';
import { analysisActivities } from '../../../../../activities/analysis/index.js';
import { SecretStore } from '../../../../../activities/secrets/secret-store.js';
import type { AnalysisCheck } from '../../../../../core/analysis/types.js';
import { openSecretAccess, testCaller } from '../../../../helpers/trust.js';

// Job metrics that end before any Job is created: the integration test runs Jobs on the stack's cluster.
const check: AnalysisCheck = {
  name: 'smoke',
  thresholdRange: { min: 1 },
  template: { provider: { type: 'job' }, job: { spec: { template: { spec: {} } } } },
};
const run = (measurement?: string) =>
  analysisActivities({ secrets: openSecretAccess(new SecretStore([])) }).runAnalysis({
    caller: testCaller,
    rollout: {
      name: 'web',
      namespace: 'shop',
      target: 'web',
      primary: 'web-primary',
      service: 'web',
      provider: 'istio',
    },
    checks: [check],
    ...(measurement ? { measurement } : {}),
  });

describe('runAnalysis with a job metric (no Job created)', () => {
  it('outside an activity and without a measurement key: an Error, not a Job with a made-up name', async () => {
    const r = await run();
    expect(r.verdict).toBe('Failed');
    expect(r.checks[0]).toMatchObject({
      verdict: 'Error',
      message: 'smoke: a job metric runs in the analysis activity, or with an explicit measurement key',
    });
  });

  it('a worker without Kubernetes clients or Projects: an Error naming the wiring', async () => {
    const r = await run('m1');
    expect(r.checks[0]?.message).toBe(
      'smoke: job metrics need the Kubernetes clients and the Project registry (worker wiring)',
    );
  });
});
