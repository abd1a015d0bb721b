// Runs one Pipeline step from workflow code: workflow-side plugins (approve, wait, alert) here,
// side effects as activities whose summaries name the step, so the Temporal UI reads like a log.
import { ApplicationFailure, type RetryPolicy, sleep } from '@temporalio/workflow';
import type { StepActivities, StepCall } from '../../activities/steps/index.js';
import { STEP_FAILED, STEP_INPUT_ERROR } from '../../core/errors.js';
import { findStepPlugin } from '../../core/steps/catalogue.js';
import type { PipelineStep } from '../../schemas/types.generated.js';
import { activities, pipelineStep } from '../activity-options.js';
import { type AlertState, notify, resolveAlertRoutes } from '../shared/alerts.js';
import { durationMs } from '../shared/duration.js';
import type { PipelineRunInput } from './messages.js';

/** What a step needs from its run. */
export interface StepRuntime {
  input: PipelineRunInput;
  /** The run's id (input.run, or derived from the workflow ID for scheduled runs). */
  run: string;
  workflowId: string;
  alertState: AlertState;
  /** Resolves when someone approved the step (set by the approve update). */
  waitForApproval: (
    step: string,
    timeoutMs?: number,
  ) => Promise<{ by: string; at: string; verified: boolean } | undefined>;
}

/** Activity retries: a step's own `retry`, else only infrastructure failures (a crashed worker) are retried. */
export function stepRetryPolicy(step: PipelineStep): RetryPolicy {
  if (!step.retry)
    return {
      maximumAttempts: 3,
      initialInterval: '2s',
      nonRetryableErrorTypes: [STEP_FAILED, STEP_INPUT_ERROR],
    };
  const b = step.retry.backoff ?? {};
  return {
    maximumAttempts: (step.retry.limit ?? 5) + 1,
    initialInterval: durationMs(b.duration ?? '5s'),
    backoffCoefficient: b.factor ?? 2,
    maximumInterval: durationMs(b.maxDuration ?? '3m'),
    nonRetryableErrorTypes: [STEP_INPUT_ERROR],
  };
}

const short = (sha: unknown) =>
  typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 7) : sha;

/** The activity summary the Temporal UI shows, e.g. "deploy-staging: sync web-staging to 1a2b3c4". */
export function stepSummary(step: PipelineStep, w: Record<string, unknown>): string {
  const what = (() => {
    switch (step.uses) {
      case 'sync':
        return `sync ${w.application}${w.revision ? ` to ${short(w.revision)}` : ''}`;
      case 'rollout-wait':
        return `wait for the rollout of ${w.application}`;
      case 'webhook':
        return `webhook ${String(w.method ?? 'POST')} ${w.url}`;
      case 'analysis':
        return `analysis ${String(w.query).slice(0, 60)}`;
      case 'git-update':
        return `git-update ${w.file}: ${w.image ? `${w.image}:${w.tag}` : `${w.field} = ${JSON.stringify(w.value)}`}`;
      default:
        return step.uses;
    }
  })();
  return `${step.name}: ${what}`;
}

/** Runs a step with its resolved inputs and answers its outputs; a failure throws. */
export async function executeStep(
  step: PipelineStep,
  inputs: Record<string, unknown>,
  rt: StepRuntime,
): Promise<Record<string, unknown>> {
  const timeoutMs = step.timeout ? durationMs(step.timeout) : undefined;
  const { pipeline, trigger } = rt.input;
  const run = rt.run;
  switch (step.uses) {
    case 'approve': {
      const approval = await rt.waitForApproval(step.name, timeoutMs);
      if (!approval)
        throw ApplicationFailure.nonRetryable(`nobody approved within ${step.timeout}`, STEP_FAILED);
      return { ...approval };
    }
    case 'wait':
      await sleep(durationMs(String(inputs.duration)));
      return {};
    case 'alert': {
      const providers = Object.entries(rt.input.alertProviders ?? {}).map(([key, spec]) => {
        const [namespace, name] = key.split('/');
        return {
          apiVersion: 'sluice.dev/v1alpha1' as const,
          kind: 'AlertProvider' as const,
          metadata: { name: name as string, namespace },
          spec,
        };
      });
      const { routes } = resolveAlertRoutes(
        [{ name: step.name, providerRef: { name: String(inputs.provider) } }],
        providers,
        { repoId: pipeline.repoId, project: pipeline.project },
        pipeline.namespace,
      );
      const severity = (inputs.severity as 'info' | 'warn' | 'error' | undefined) ?? 'info';
      const result = await notify(rt.alertState, routes, {
        type: 'pipeline.step',
        severity,
        subject: pipeline.name,
        message: String(inputs.message ?? `Pipeline ${pipeline.name} run ${run}: ${step.name}`),
        ...(trigger.revision ? { revision: trigger.revision } : {}),
        fields: { pipeline: pipeline.name, run, step: step.name },
      });
      return { delivered: result.delivered };
    }
    default: {
      // Dispatch and default timeout come from the step catalogue (core/steps), as the loader's checks do.
      const plugin = findStepPlugin(step.uses);
      if (plugin?.runsIn !== 'activity')
        throw ApplicationFailure.nonRetryable(`unknown step plugin "${step.uses}"`, STEP_INPUT_ERROR);
      const timeout = step.timeout ?? plugin.defaultTimeout;
      const acts = activities<StepActivities>(pipelineStep(timeout, stepRetryPolicy(step)), {
        summary: stepSummary(step, inputs),
      });
      const call: StepCall = {
        caller: { repoId: pipeline.repoId, project: pipeline.project },
        pipeline: pipeline.name,
        run,
        workflowId: rt.workflowId,
        step: step.name,
        inputs,
        trigger,
      };
      return acts[plugin.activity](call);
    }
  }
}
