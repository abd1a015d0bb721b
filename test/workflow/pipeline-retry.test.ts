import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { PipelineStep } from '../../schemas/types.generated.js';
import type { PipelineRunInput, PipelineRunStatus } from '../../workflows/pipeline/messages.js';
import { pipelineStatusQuery, retryStepUpdate } from '../../workflows/pipeline/messages.js';
import { failing } from './fakes/recorder.js';
import { stepFakes } from './fakes/steps.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

/** A run of a one-step Pipeline: a webhook to a deploy hook, with the given retry and retry window. */
function runInput(repoId: string, step: Partial<PipelineStep>, retryWindow: string): PipelineRunInput {
  return {
    pipeline: {
      repoId,
      name: 'release',
      namespace: 'default',
      project: 'default',
      spec: {
        trigger: { manual: {} },
        retryWindow,
        steps: [
          { name: 'deploy-hook', uses: 'webhook', with: { url: 'http://127.0.0.1:9/deploy' }, ...step },
        ],
      },
    },
    run: '1',
    trigger: { kind: 'manual', by: 'test' },
  };
}

const refused = () => ApplicationFailure.nonRetryable('deploy hook answered 503', 'StepFailed');

describe('pipeline step retries and the retry window', () => {
  it('a step with `retry` is retried with backoff up to its limit and the run succeeds', async () => {
    const fake = stepFakes({
      webhook: failing(
        2,
        () => new Error('deploy hook answered 503'),
        async () => ({ status: 200 }),
      ),
    });
    const retry = { limit: 3, backoff: { duration: '100ms', factor: 2 } };
    const status = await withWorker(
      fake.activities,
      ({ client, taskQueue, id }) =>
        client.workflow.execute('pipelineWorkflow', {
          taskQueue,
          workflowId: id('pipeline-retry'),
          args: [runInput(id('repo'), { retry }, '0s')],
        }) as Promise<PipelineRunStatus>,
    );
    expect(status.phase).toBe('Succeeded');
    expect(status.steps[0]).toMatchObject({
      name: 'deploy-hook',
      phase: 'Succeeded',
      outputs: { status: 200 },
    });
    expect(fake.calls.count('stepWebhook')).toBe(3);
  });

  it('a failed run waits in its retry window; retry-step re-runs the step and the run succeeds', async () => {
    let up = false;
    const fake = stepFakes({
      webhook: async () => {
        if (!up) throw refused();
        return { status: 200 };
      },
    });
    const status = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('pipelineWorkflow', {
        taskQueue,
        workflowId: id('pipeline-window'),
        args: [runInput(id('repo'), {}, '1m')],
      });
      const failed = await queryUntil(handle, pipelineStatusQuery, (s) => s.phase === 'Failed');
      expect(failed).toMatchObject({ failedStep: 'deploy-hook', message: expect.stringContaining('503') });
      up = true;
      await handle.executeUpdate(retryStepUpdate, { args: [{ step: 'deploy-hook', by: 'alice' }] });
      return (await handle.result()) as PipelineRunStatus;
    });
    expect(status.phase).toBe('Succeeded');
    expect(status.steps[0]).toMatchObject({ phase: 'Succeeded', attempts: 2 });
    // The step's default policy does not retry a StepFailed: one call per attempt.
    expect(fake.calls.count('stepWebhook')).toBe(2);
  });

  it('a failed run that nobody retries ends failed when its window closes', async () => {
    const fake = stepFakes({
      webhook: async () => {
        throw refused();
      },
    });
    const error = await withWorker(fake.activities, ({ client, taskQueue, id }) =>
      client.workflow
        .execute('pipelineWorkflow', {
          taskQueue,
          workflowId: id('pipeline-closed'),
          args: [runInput(id('repo'), {}, '300ms')],
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        ),
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('PipelineRunFailed');
    expect(cause.message).toContain('step deploy-hook failed');
  });
});
