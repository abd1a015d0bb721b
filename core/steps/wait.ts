import type { StepPlugin } from './types.js';

/** `wait`: sleeps for a duration (a durable Temporal timer). */
export const waitStep: StepPlugin = {
  name: 'wait',
  description: 'Waits for a duration.',
  runsIn: 'workflow',
  inputs: { duration: { type: 'duration', required: true, description: 'e.g. "10m" or "1h30m".' } },
  outputs: {},
};
