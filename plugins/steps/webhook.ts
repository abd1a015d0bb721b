import type { StepPlugin } from './types.js';

/** `webhook`: calls a URL; passes on 2xx and, when set, a CEL condition on the JSON answer. */
export const webhookStep: StepPlugin = {
  name: 'webhook',
  description: 'Calls a URL; passes on a 2xx answer whose JSON body meets `condition` when one is set.',
  runsIn: 'activity',
  defaultTimeout: '5m',
  inputs: {
    url: { type: 'string', required: true, description: 'http(s) URL.' },
    method: { type: 'string', description: 'HTTP method (default POST).' },
    headers: { type: 'object', description: 'Extra request headers.' },
    body: { type: 'any', description: 'JSON body (default: the run, its trigger and this step).' },
    condition: { type: 'string', description: 'CEL over `body` and `status`, e.g. "body.passed == true".' },
    secretRef: { type: 'object', description: '{name, key}: signs the body (X-Sluice-Signature).' },
    requestTimeout: { type: 'duration', description: 'Timeout of one request (default 30s).' },
  },
  outputs: { status: 'HTTP status', body: 'the JSON answer (or its text)', '*': 'fields of the JSON answer' },
};
