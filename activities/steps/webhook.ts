import { Environment } from '@marcbachmann/cel-js';
import { ApplicationFailure } from '@temporalio/activity';
import { webhookHeaderProblem, webhookMethodProblem } from '../../core/steps/webhook.js';
import { SIGNATURE_HEADER, signBody } from '../../plugins/shared/webhook-signature.js';
import { durationMs } from '../../workflows/shared/duration.js';
import type { EgressFetch } from '../egress/guarded-fetch.js';
import { whileBeating } from '../keep-alive.js';
import type { SecretAccess } from '../trust/secret-access.js';
import { requireString, stepFailed, stepInputError } from './errors.js';
import type { StepCall } from './types.js';

// `condition` sees the answer as `body` (parsed JSON, else the text) and `status` (an int).
const env = new Environment({ homogeneousAggregateLiterals: false });
env.registerVariable('body', 'dyn');
env.registerVariable('status', 'int');

/** Checks a webhook step's condition; the error message, or undefined when it compiles to a bool. */
export function webhookConditionError(expr: string): string | undefined {
  try {
    const checked = env.parse(expr).check();
    if (!checked.valid) return String(checked.error?.message ?? checked.error).split('\n')[0];
    if (checked.type !== 'bool' && checked.type !== 'dyn')
      return `must evaluate to a bool, not ${checked.type}`;
    return undefined;
  } catch (e) {
    return String((e as Error).message).split('\n')[0];
  }
}

/** Most bytes of JSON a webhook step records as its outputs (in workflow history): 4 KiB. */
export const WEBHOOK_OUTPUT_BYTES = 4096;

const jsonBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v) ?? 'null');

/**
 * The outputs recorded for an answer: status, the parsed body and its top-level fields when they fit
 * in `limit` bytes of JSON; else status, `truncated: true` and the top-level fields that fit (never the
 * body). The condition sees the whole answer; history keeps only this.
 */
export function webhookOutputs(
  status: number,
  answer: unknown,
  limit = WEBHOOK_OUTPUT_BYTES,
): Record<string, unknown> {
  const fields =
    answer && typeof answer === 'object' && !Array.isArray(answer) ? (answer as Record<string, unknown>) : {};
  const full = { status, body: answer, ...fields };
  if (jsonBytes(full) <= limit) return full;
  const out: Record<string, unknown> = { status };
  // Room for ,"truncated":true and the closing brace; each field adds ,"key":value.
  let size = jsonBytes(out) + 17;
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'truncated') continue;
    const add = jsonBytes(key) + 2 + jsonBytes(value);
    if (size + add > limit) continue;
    out[key] = value;
    size += add;
  }
  out.truncated = true;
  return out;
}

/** The step's headers input as a map of strings, refusing the ones an author may not set. */
function authorHeaders(step: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw stepInputError(`${step}: headers must be a map of header names to strings`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    const problem =
      webhookHeaderProblem(name) ?? (typeof v !== 'string' ? `header ${name} must be a string` : undefined);
    if (problem) throw stepInputError(`${step}: ${problem}`);
    out[name.toLowerCase()] = v as string;
  }
  return out;
}

/** A refusal of the egress policy or its limits: permanent, so never retried whatever the step's retry says. */
function egressFailure(method: string, url: string, err: Error): ApplicationFailure {
  return ApplicationFailure.create({
    type: err.name,
    message: `${method} ${url}: ${err.message}`,
    nonRetryable: true,
  });
}

/**
 * Calls the URL once per attempt (Temporal retries per the step's retry policy); passes on 2xx and a
 * true condition. The request goes through the egress-guarded fetch: destination checked, no
 * redirects, the answer read up to egress.maxResponseBytes. Outputs are bounded (webhookOutputs).
 */
export async function stepWebhook(
  secrets: SecretAccess,
  call: StepCall,
  egress: EgressFetch,
): Promise<Record<string, unknown>> {
  const { inputs, step } = call;
  const url = requireString(inputs, 'url', step);
  if (!/^https?:\/\//.test(url)) throw stepInputError(`${step}: url must be http(s), got ${url}`);
  const method = String(inputs.method ?? 'POST').toUpperCase();
  const methodProblem = webhookMethodProblem(method);
  if (methodProblem) throw stepInputError(`${step}: ${methodProblem}`);
  const payload = inputs.body ?? {
    pipeline: call.pipeline,
    run: call.run,
    step,
    trigger: call.trigger,
    workflowId: call.workflowId,
  };
  const body = method === 'GET' ? undefined : JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'sluice',
    ...authorHeaders(step, inputs.headers),
    'x-sluice-run': call.workflowId,
  };
  const ref = inputs.secretRef as { name: string; key?: string } | undefined;
  if (ref && body !== undefined) {
    const key = ref.key ?? 'secret';
    const values = await secrets.resolve({ name: ref.name, key }, { caller: call.caller, sendTo: url });
    const secret = values[key] as string;
    headers[SIGNATURE_HEADER] = signBody(secret, body);
  }
  let res: Response;
  let text: string;
  try {
    // A request may take up to its requestTimeout, longer than the heartbeat timeout: beat while it runs.
    ({ res, text } = await whileBeating({ url, method }, async () => {
      const r = await egress(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(durationMs(String(inputs.requestTimeout ?? '30s'))),
      });
      return { res: r, text: await r.text() };
    }));
  } catch (err) {
    if ((err as { permanent?: unknown }).permanent === true) throw egressFailure(method, url, err as Error);
    throw stepFailed(`${method} ${url}: ${String((err as Error).cause ?? (err as Error).message)}`);
  }
  let answer: unknown = text;
  try {
    answer = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the condition sees the text
  }
  const outputs = webhookOutputs(res.status, answer);
  if (!res.ok) throw stepFailed(`${method} ${url}: HTTP ${res.status}`, outputs);
  if (typeof inputs.condition === 'string') {
    const error = webhookConditionError(inputs.condition);
    if (error) throw stepInputError(`${step}: condition ${inputs.condition}: ${error}`);
    let ok: unknown;
    try {
      ok = env.parse(inputs.condition)({ body: answer, status: BigInt(res.status) });
    } catch (e) {
      throw stepFailed(
        `${step}: condition ${inputs.condition} could not be evaluated: ${(e as Error).message}`,
      );
    }
    if (ok !== true)
      throw stepFailed(
        `${method} ${url}: condition ${inputs.condition} is false (HTTP ${res.status})`,
        outputs,
      );
  }
  return outputs;
}
