import { createMetricProvider } from '../../plugins/metrics/factory.js';
import type { MetricProvider } from '../../plugins/metrics/types.js';
import { fetchForAddress } from '../egress/admin-origin.js';
import type { EgressFetch } from '../egress/guarded-fetch.js';
import { whileBeating } from '../keep-alive.js';
import { requireString, stepFailed } from './errors.js';
import type { StepCall } from './types.js';

/**
 * Runs one metric query and checks it against [min, max]; no data or an unreachable provider fails the
 * step. An `address` the Pipeline names goes through the egress-guarded fetch unless it is the worker's own.
 */
export async function stepAnalysis(
  defaultAddress: string | undefined,
  call: StepCall,
  egress: EgressFetch,
): Promise<Record<string, unknown>> {
  const query = requireString(call.inputs, 'query', call.step);
  const address = typeof call.inputs.address === 'string' ? call.inputs.address : defaultAddress;
  let result: Awaited<ReturnType<MetricProvider['query']>>;
  try {
    const fetch = address ? fetchForAddress(address, [defaultAddress], egress) : undefined;
    const provider = createMetricProvider(
      { type: String(call.inputs.provider ?? 'prometheus'), ...(address ? { address } : {}) },
      fetch ? { fetch } : {},
    );
    result = await whileBeating({ query }, () => provider.query(query));
  } catch (err) {
    throw stepFailed(`${call.step}: ${(err as Error).message}`, { verdict: 'Error' });
  }
  if (result.kind === 'noData')
    throw stepFailed(`${call.step}: no data for ${query} (${result.reason})`, { verdict: 'Inconclusive' });
  const { value } = result;
  const min = typeof call.inputs.min === 'number' ? call.inputs.min : undefined;
  const max = typeof call.inputs.max === 'number' ? call.inputs.max : undefined;
  if ((min !== undefined && value < min) || (max !== undefined && value > max))
    throw stepFailed(`${call.step}: ${query} = ${value}, outside [${min ?? '-∞'}, ${max ?? '∞'}]`, {
      value,
      verdict: 'Failed',
    });
  return { value, verdict: 'Successful' };
}
