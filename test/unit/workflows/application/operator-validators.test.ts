import { describe, expect, it } from 'vitest';
import type { DesiredApplication } from '../../../../workflows/application/messages.js';
import { retryProblem } from '../../../../workflows/application/rollout-retry.js';
import type { RolloutMemory } from '../../../../workflows/application/rollout-runner.js';
import {
  isSuspended,
  validateResume,
  validateSuspend,
} from '../../../../workflows/application/suspension.js';
import type { RolloutStatus } from '../../../../workflows/rollout/messages.js';

const suspension = { by: 'alice', reason: 'INC-42', at: '2026-12-06T22:00:00.000Z' };

describe('suspend and resume validators', () => {
  it('needs who and why to suspend, once', () => {
    expect(() => validateSuspend({}, { by: 'alice', reason: 'INC-42' })).not.toThrow();
    expect(() => validateSuspend({}, { by: 'alice', reason: '  ' })).toThrow(/say why it is suspended/);
    expect(() => validateSuspend({}, { by: '', reason: 'INC-42' })).toThrow(/say who asks/);
    expect(() => validateSuspend({ suspended: suspension }, { by: 'bob', reason: 'again' })).toThrow(
      'already suspended by alice at 2026-12-06T22:00:00.000Z: INC-42',
    );
  });

  it('takes who and why as one short line of plain text', () => {
    expect(() => validateSuspend({}, { by: 'alice', reason: 'x'.repeat(501) })).toThrow(
      '--reason is longer than 500 characters',
    );
    expect(() => validateSuspend({}, { by: 'a'.repeat(101), reason: 'INC-42' })).toThrow(/--by is longer/);
    expect(() => validateSuspend({}, { by: 'alice', reason: 'INC-42\n<!channel>' })).toThrow(
      '--reason holds control characters',
    );
    expect(() => validateResume({ suspended: suspension }, { by: 'bob\u001b[2J' })).toThrow(
      '--by holds control characters',
    );
  });

  it('resumes only a suspended application', () => {
    expect(() => validateResume({}, { by: 'bob' })).toThrow('it is not suspended');
    expect(() => validateResume({ suspended: suspension }, { by: 'bob' })).not.toThrow();
    expect(isSuspended({ suspended: suspension })).toBe(true);
    expect(isSuspended({})).toBe(false);
  });
});

describe('rollout retry: only the last rollout, and only when it failed', () => {
  const app = { desired: { rollout: { name: 'web' } } as unknown as DesiredApplication };
  const rollout = (phase: RolloutStatus['phase']) =>
    ({
      workflowId: 'rollout/test/web/abc1234-c0ffee',
      phase,
      revision: 'abc1234',
      checksum: 'c0ffee',
    }) as RolloutStatus & { workflowId: string };
  const memory = (m: Partial<RolloutMemory>): RolloutMemory => ({ running: false, ...m });

  it('retries a failed rollout that is not running', () => {
    expect(
      retryProblem(app, memory({ current: rollout('Failed'), failedChecksum: 'c0ffee' })),
    ).toBeUndefined();
  });

  it('says why anything else is not retried', () => {
    expect(retryProblem(app, memory({}))).toBe('no rollout has run yet');
    expect(retryProblem({ desired: {} as DesiredApplication }, memory({}))).toBe('it names no Rollout');
    expect(retryProblem(app, memory({ current: rollout('Progressing'), running: true }))).toBe(
      'its rollout rollout/test/web/abc1234-c0ffee is still running (Progressing)',
    );
    expect(retryProblem(app, memory({ current: rollout('Succeeded') }))).toMatch(
      /did not fail \(it is Succeeded\): only a failed rollout is retried/,
    );
    // A failed rollout whose failure no longer holds the target back has nothing to retry.
    expect(retryProblem(app, memory({ current: rollout('Failed') }))).toMatch(/is not held back/);
    expect(
      retryProblem(
        { desired: {} as DesiredApplication },
        memory({ current: rollout('Failed'), failedChecksum: 'c0ffee' }),
      ),
    ).toBe('it no longer names a Rollout');
  });
});
