import { ApplicationFailure } from '@temporalio/activity';
import { STEP_FAILED, STEP_INPUT_ERROR } from '../../core/errors.js';

/** The step ran and did not pass (non-2xx, condition false, sync failed): retried only when the step sets `retry`. */
export function stepFailed(message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type: STEP_FAILED,
    message,
    ...(details ? { details: [details] } : {}),
  });
}

/** The step's inputs are wrong (after expressions were resolved): never retried. */
export function stepInputError(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: STEP_INPUT_ERROR, message, nonRetryable: true });
}

/** A required string input, or a StepInputError naming it. */
export function requireString(inputs: Record<string, unknown>, name: string, step: string): string {
  const v = inputs[name];
  if (typeof v !== 'string' || v === '')
    throw stepInputError(`${step}: "${name}" must be a non-empty string`);
  return v;
}
