import type { StepPlugin } from './types.js';

/**
 * Methods a webhook step may use. GET reads; POST, PUT, PATCH and DELETE are what CI systems and REST
 * APIs take. HEAD and OPTIONS answer nothing a condition could check; TRACE echoes the request back
 * (the signature header with it) and CONNECT opens a tunnel, so neither is a webhook.
 */
export const webhookMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Request headers an author may not set: the ones the HTTP client frames the message with (Host,
 * Content-Length, Transfer-Encoding, hop-by-hop headers), proxy credentials, and Sluice's own
 * `X-Sluice-*` headers (the signature and the run id are Sluice's word, not the author's).
 */
export const forbiddenWebhookHeaders = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
];

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What is wrong with a method, or undefined when a webhook step may use it. */
export function webhookMethodProblem(method: string): string | undefined {
  if ((webhookMethods as readonly string[]).includes(method.toUpperCase())) return undefined;
  return `method ${JSON.stringify(method)} is not allowed: use one of ${webhookMethods.join(', ')}`;
}

/** What is wrong with one header name, or undefined when an author may set it. */
export function webhookHeaderProblem(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (!TOKEN.test(name)) return `header name ${JSON.stringify(name)} is not a valid HTTP header name`;
  if (forbiddenWebhookHeaders.includes(lower) || lower.startsWith('x-sluice-'))
    return `header ${JSON.stringify(name)} cannot be set by a pipeline: framing, hop-by-hop and proxy headers belong to the HTTP client, X-Sluice-* to Sluice`;
  return undefined;
}

const isExpression = (v: unknown) => typeof v === 'string' && v.includes('${{');

/** Load-time checks of method and headers (values computed by expressions are checked when the step runs). */
function checkWebhook(w: Record<string, unknown>): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  if (typeof w.method === 'string' && !isExpression(w.method)) {
    const problem = webhookMethodProblem(w.method);
    if (problem) issues.push({ field: 'method', message: problem });
  }
  if (w.headers && typeof w.headers === 'object')
    for (const [name, value] of Object.entries(w.headers)) {
      const problem =
        webhookHeaderProblem(name) ??
        (typeof value !== 'string' ? `header ${JSON.stringify(name)} must be a string` : undefined);
      if (problem) issues.push({ field: 'headers', message: problem });
    }
  return issues;
}

/** `webhook`: calls a URL; passes on 2xx and, when set, a CEL condition on the JSON answer. */
export const webhookStep: StepPlugin = {
  name: 'webhook',
  description: 'Calls a URL; passes on a 2xx answer whose JSON body meets `condition` when one is set.',
  runsIn: 'activity',
  activity: 'stepWebhook',
  defaultTimeout: '5m',
  inputs: {
    url: { type: 'string', required: true, description: 'http(s) URL (the worker egress policy applies).' },
    method: { type: 'string', description: `HTTP method: ${webhookMethods.join(', ')} (default POST).` },
    headers: {
      type: 'object',
      description: 'Extra request headers (not Host, Content-Length, hop-by-hop or X-Sluice-*).',
    },
    body: { type: 'any', description: 'JSON body (default: the run, its trigger and this step).' },
    condition: { type: 'string', description: 'CEL over `body` and `status`, e.g. "body.passed == true".' },
    secretRef: { type: 'object', description: '{name, key}: signs the body (X-Sluice-Signature).' },
    requestTimeout: { type: 'duration', description: 'Timeout of one request (default 30s).' },
  },
  outputs: {
    status: 'HTTP status',
    body: 'the JSON answer (or its text), when the outputs fit in 4 KiB',
    '*': 'fields of the JSON answer (as many as fit in 4 KiB)',
    truncated: 'true when the answer did not fit in 4 KiB of outputs',
  },
  check: checkWebhook,
};
