import type { Caller } from '../../core/identity.js';
import type { PipelineTrigger } from '../../workflows/pipeline/messages.js';

/** What a step activity receives: the run, the step's name and its inputs with every expression resolved. */
export interface StepCall {
  /** The Pipeline's repository and Project: what its steps may touch and which secrets they may use. */
  caller: Caller;
  pipeline: string;
  run: string;
  workflowId: string;
  step: string;
  inputs: Record<string, unknown>;
  trigger: PipelineTrigger;
}
