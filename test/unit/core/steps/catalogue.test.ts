// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is the Pipeline expression syntax under test
import { describe, expect, it } from 'vitest';
import {
  checkStepInputs,
  findStepPlugin,
  stepPlugin,
  stepPluginNames,
} from '../../../../core/steps/catalogue.js';
import { UnknownStepPluginError } from '../../../../core/steps/errors.js';

describe('step catalogue', () => {
  it('dispatches each side-effect step to its activity with its default timeout', () => {
    const dispatch = Object.fromEntries(
      stepPluginNames().map((name) => {
        const p = stepPlugin(name);
        return [name, p.runsIn === 'activity' ? `${p.activity} ${p.defaultTimeout}` : 'workflow'];
      }),
    );
    expect(dispatch).toEqual({
      alert: 'workflow',
      analysis: 'stepAnalysis 5m',
      approve: 'workflow',
      'git-update': 'stepGitUpdate 5m',
      'rollout-wait': 'stepRolloutWait 1h',
      sync: 'stepSync 15m',
      wait: 'workflow',
      webhook: 'stepWebhook 5m',
    });
    expect(findStepPlugin('constructor')).toBeUndefined();
  });

  it('knows every built-in step', () => {
    expect(stepPluginNames()).toEqual([
      'alert',
      'analysis',
      'approve',
      'git-update',
      'rollout-wait',
      'sync',
      'wait',
      'webhook',
    ]);
    expect(stepPlugin('approve').runsIn).toBe('workflow');
    expect(stepPlugin('git-update').runsIn).toBe('activity');
  });

  it('rejects an unknown name with a did-you-mean, never a fallback', () => {
    expect(() => stepPlugin('webhok')).toThrow(UnknownStepPluginError);
    expect(() => stepPlugin('webhok')).toThrow(/unknown step plugin "webhok" \(did you mean "webhook"\?\)/);
    expect(() => stepPlugin('constructor')).toThrow(/unknown step plugin "constructor"; known steps: alert/);
  });

  it('checks inputs: required, unknown, types, and plugin rules; expressions are checked at run time', () => {
    expect(checkStepInputs(stepPlugin('wait'), {})).toEqual([
      { field: 'duration', message: 'the wait step needs "duration": e.g. "10m" or "1h30m".' },
    ]);
    expect(checkStepInputs(stepPlugin('wait'), { duration: '${{ trigger.inputs.pause }}' })).toEqual([]);
    expect(checkStepInputs(stepPlugin('sync'), { application: 'web', prune: 'yes' })).toEqual([
      { field: 'prune', message: 'must be a boolean' },
    ]);
    expect(checkStepInputs(stepPlugin('analysis'), { query: 'up' })).toEqual([
      { field: 'min', message: 'set min, max or both' },
    ]);
    expect(
      checkStepInputs(stepPlugin('git-update'), {
        repoURL: 'https://g/x.git',
        file: 'a.yaml',
        field: 'a',
        tag: '1',
      }),
    ).toEqual([{ field: 'image', message: 'set either image + tag or field + value' }]);
    expect(checkStepInputs(stepPlugin('alert'), { provider: 'p', severity: 'loud' })).toEqual([
      { field: 'severity', message: 'must be info, warn or error' },
    ]);
  });

  it('approve: approvers are literal names or group:<name>, never expressions or an empty list', () => {
    const approve = stepPlugin('approve');
    expect(checkStepInputs(approve, {})).toEqual([]);
    expect(checkStepInputs(approve, { approvers: ['alice', 'group:sre'] })).toEqual([]);
    expect(checkStepInputs(approve, { approvers: [] })).toEqual([
      { field: 'approvers', message: 'must list at least one approver (leave it out to let anyone approve)' },
    ]);
    expect(checkStepInputs(approve, { approvers: '${{ trigger.inputs.approver }}' })).toEqual([
      { field: 'approvers', message: 'must list at least one approver (leave it out to let anyone approve)' },
    ]);
    expect(checkStepInputs(approve, { approvers: ['alice', '${{ trigger.by }}'] })).toEqual([
      {
        field: 'approvers[1]',
        message:
          '"${{ trigger.by }}" is not an approver name or group:<name> (letters, digits, _ . @ -; no expressions)',
      },
    ]);
  });
});
