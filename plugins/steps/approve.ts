import type { StepPlugin } from './types.js';

/** `approve`: waits, durably and without a timer, for `sluice pipeline approve RUN STEP`. */
export const approveStep: StepPlugin = {
  name: 'approve',
  description: 'Waits for a person to approve (sluice pipeline approve RUN STEP); records who and when.',
  runsIn: 'workflow',
  inputs: {
    approvers: { type: 'array', description: 'Who may approve (default: anyone).' },
    message: { type: 'string', description: 'What the approvers are asked.' },
  },
  outputs: { by: 'who approved', at: 'when (ISO 8601)' },
};
