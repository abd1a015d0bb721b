import { describe, expect, it } from 'vitest';
import { failedText, rolloutLine, rolloutLines, stepText } from '../../../cli/rollout-view.js';
import type { RolloutStatus } from '../../../workflows/rollout/messages.js';

const status: RolloutStatus = {
  rollout: 'web',
  app: 'shop',
  namespace: 'shop',
  revision: '0123456789abcdef0123456789abcdef01234567',
  checksum: 'abc',
  phase: 'Failed',
  step: 2,
  steps: 5,
  stepName: 'weight 30%',
  canaryWeight: 0,
  failedChecks: 2,
  threshold: 2,
  analysisRounds: 4,
  lastVerdict: 'Failed',
  message: 'rolled back: request-success-rate below 99',
  failed: { name: 'request-success-rate', value: 91.5, condition: 'min 99', message: 'below the threshold' },
};

describe('rollout view', () => {
  it('names the step as n/total and its label', () => {
    expect(stepText(status)).toBe('3/5 weight 30%');
    expect(stepText({ ...status, steps: 0 })).toBe('-');
  });

  it('shows the failed check with its value and condition', () => {
    expect(failedText(status)).toBe('request-success-rate = 91.5 (min 99): below the threshold');
  });

  it("lists each check of the last round against its condition, and each webhook's last answer", () => {
    process.env.NO_COLOR = '1';
    const lines = rolloutLines({
      ...status,
      workflowId: 'rollout/shop/0123456-abc',
      lastChecks: [
        { name: 'request-success-rate', verdict: 'Failed', value: 91.5432, condition: 'min 99', message: '' },
        { name: 'request-duration', verdict: 'Inconclusive', message: 'no data' },
      ],
      webhooks: {
        'load-test': { type: 'rollout', ok: true, message: 'rollout webhook load-test: HTTP 200' },
      },
    });
    expect(lines.filter(([k]) => k.startsWith('  '))).toEqual([
      ['  request-success-rate', '91.543 (min 99) Failed'],
      ['  request-duration', '– Inconclusive'],
      ['  webhook load-test', 'rollout: ok rollout webhook load-test: HTTP 200'],
    ]);
  });

  it('puts a change on one line for logs', () => {
    expect(rolloutLine({ ...status, workflowId: 'rollout/shop/0123456-abc' })).toBe(
      'Failed  step 3/5 weight 30%  weight 0%  failed 2/2  verdict Failed  failed check request-success-rate = 91.5 (min 99): below the threshold  rolled back: request-success-rate below 99',
    );
  });
});
