import type { StepPlugin } from './types.js';

/** `analysis`: one metric query checked against a range, like a Rollout's analysis. */
export const analysisStep: StepPlugin = {
  name: 'analysis',
  description: 'Runs a metric query (Prometheus by default) and passes when the value is in [min, max].',
  runsIn: 'activity',
  activity: 'stepAnalysis',
  defaultTimeout: '5m',
  inputs: {
    query: { type: 'string', required: true, description: 'The query, reduced to one number.' },
    provider: { type: 'string', description: 'Metric provider type (default prometheus).' },
    address: { type: 'string', description: "Provider URL (default: the worker's Prometheus)." },
    min: { type: 'number', description: 'Lowest passing value.' },
    max: { type: 'number', description: 'Highest passing value.' },
  },
  outputs: { value: 'the value', verdict: 'Successful, Failed, Inconclusive or Error' },
  check: (w) =>
    w.min === undefined && w.max === undefined ? [{ field: 'min', message: 'set min, max or both' }] : [],
};
