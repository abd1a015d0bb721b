import { Environment } from '@marcbachmann/cel-js';
import { heartbeat } from '@temporalio/activity';
import { durationMs } from '../../workflows/duration.js';
import type { SecretAccess } from '../trust/secret-access.js';
import { SIGNATURE_HEADER, signBody } from '../webhooks/signature.js';
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

/** Calls the URL once per attempt (Temporal retries per the step's retry policy); passes on 2xx and a true condition. */
export async function stepWebhook(secrets: SecretAccess, call: StepCall): Promise<Record<string, unknown>> {
  const { inputs, step } = call;
  const url = requireString(inputs, 'url', step);
  if (!/^https?:\/\//.test(url)) throw stepInputError(`${step}: url must be http(s), got ${url}`);
  const method = String(inputs.method ?? 'POST').toUpperCase();
  const payload = inputs.body ?? {
    pipeline: call.pipeline,
    run: call.run,
    step,
    trigger: call.trigger,
    workflowId: call.workflowId,
  };
  const body = method === 'GET' || method === 'HEAD' ? undefined : JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'sluice',
    'x-sluice-run': call.workflowId,
    ...((inputs.headers as Record<string, string> | undefined) ?? {}),
  };
  const ref = inputs.secretRef as { name: string; key?: string } | undefined;
  if (ref && body !== undefined) {
    const key = ref.key ?? 'secret';
    const values = await secrets.resolve({ name: ref.name, key }, { caller: call.caller, sendTo: url });
    const secret = values[key] as string;
    headers[SIGNATURE_HEADER] = signBody(secret, body);
  }
  heartbeat({ url, method });
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(durationMs(String(inputs.requestTimeout ?? '30s'))),
    });
  } catch (err) {
    throw stepFailed(`${method} ${url}: ${String((err as Error).cause ?? (err as Error).message)}`);
  }
  const text = await res.text();
  let answer: unknown = text;
  try {
    answer = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the condition sees the text
  }
  const outputs: Record<string, unknown> = {
    status: res.status,
    body: answer,
    ...(answer && typeof answer === 'object' && !Array.isArray(answer) ? answer : {}),
  };
  if (!res.ok) throw stepFailed(`${method} ${url}: HTTP ${res.status} ${text.slice(0, 200)}`.trim(), outputs);
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
        `${method} ${url}: condition ${inputs.condition} is false for ${text.slice(0, 200)}`,
        outputs,
      );
  }
  return outputs;
}
