import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { failedRunStatus, RunFailure, runStatus } from '../../../core/run-endings.js';

const status = { phase: 'Failed', message: 'rolled back: request-success-rate 42 < min 99' };
const failure = (type: string, details: unknown[] = [status]) =>
  ApplicationFailure.create({ type, message: status.message, nonRetryable: true, details });
const inClient = (cause: Error) =>
  new WorkflowFailedError('Workflow execution failed', cause, RetryState.NON_RETRYABLE_FAILURE);
const inParent = (cause: Error) =>
  new ChildWorkflowFailure(
    'default',
    { workflowId: 'rollout/x', runId: 'r' },
    'rolloutWorkflow',
    RetryState.NON_RETRYABLE_FAILURE,
    cause,
  );

describe('the status of a sync or rollout from either ending', () => {
  it('reads the status a failed run carried, as a client and as a parent see the failure', () => {
    for (const type of Object.values(RunFailure)) {
      expect(failedRunStatus(inClient(failure(type)))).toEqual(status);
      expect(failedRunStatus(inParent(failure(type)))).toEqual(status);
    }
  });

  it('finds none in other failures, or in a status failure without details', () => {
    expect(failedRunStatus(inClient(failure('RenderError')))).toBeUndefined();
    expect(failedRunStatus(inParent(failure(RunFailure.rolledBack, [])))).toBeUndefined();
    expect(failedRunStatus(new Error('boom'))).toBeUndefined();
    expect(failedRunStatus('not an error')).toBeUndefined();
  });

  it('answers a completed run as it is, a failed one from its failure, and rethrows anything else', async () => {
    expect(await runStatus(Promise.resolve({ phase: 'Succeeded' }))).toEqual({ phase: 'Succeeded' });
    expect(await runStatus(Promise.reject(inClient(failure(RunFailure.syncFailed))))).toEqual(status);
    const other = inParent(failure('Timeout'));
    await expect(runStatus(Promise.reject(other))).rejects.toBe(other);
  });
});
