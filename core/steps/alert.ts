import type { StepPlugin } from './types.js';

/** `alert`: announces a message through an AlertProvider. */
export const alertStep: StepPlugin = {
  name: 'alert',
  description: 'Sends a message through an AlertProvider (same namespace); never fails the run.',
  runsIn: 'workflow',
  inputs: {
    provider: { type: 'string', required: true, description: 'Name of the AlertProvider.' },
    message: { type: 'string', description: 'The text (default: names the pipeline, run and step).' },
    severity: { type: 'string', description: 'info, warn or error (default info).' },
  },
  outputs: { delivered: 'providers that took the message' },
  check: (w) =>
    typeof w.severity === 'string' &&
    !w.severity.includes('${{') &&
    !['info', 'warn', 'error'].includes(w.severity)
      ? [{ field: 'severity', message: 'must be info, warn or error' }]
      : [],
};
