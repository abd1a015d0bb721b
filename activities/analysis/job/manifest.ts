// The Job a job metric creates: the MetricTemplate's Job with its placeholders filled, in the Rollout's
// namespace, under Sluice's name and labels. Pure, so the rules are unit-tested.
import type { JobMetric } from '../../../schemas/types.generated.js';
import { ROLLOUT_LABEL } from '../../rollout/names.js';
import { QueryTemplateError } from '../template.js';

/** Label naming the metric check a Job measures. */
export const METRIC_LABEL = 'sluice.dev/metric';

/** A Kubernetes Job as the API takes it. */
export interface JobObject {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

/** A label value from any text: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 63)
    .replace(/[^A-Za-z0-9]+$/, '');
}

/** Every string in a JSON value passed through `fill`; `path` names where, for its errors. */
function fillStrings(value: unknown, fill: (s: string) => string, path: string): unknown {
  if (typeof value === 'string') {
    try {
      return fill(value);
    } catch (err) {
      if (err instanceof QueryTemplateError)
        throw new QueryTemplateError(`${path}: ${err.message.replace(/^query /, 'job ')}`);
      throw err;
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => fillStrings(v, fill, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fillStrings(v, fill, `${path}.${k}`)]),
    );
  return value;
}

/**
 * The Job for a check: `fill` substitutes the placeholders (as in a query) in every string of the
 * template's metadata and spec; the name and namespace are Sluice's, and Sluice's labels win over the
 * template's. A namespace anywhere in the template's metadata is refused (the loader refuses it too).
 */
export function jobManifest(opts: {
  job: JobMetric;
  name: string;
  namespace: string;
  rollout: string;
  check: string;
  fill: (s: string) => string;
}): JobObject {
  const { job } = opts;
  const meta = (job.metadata ?? {}) as Record<string, unknown>;
  if (meta.namespace !== undefined || meta.name !== undefined)
    throw new Error(
      `check ${opts.check}: spec.job.metadata may set labels and annotations only: the Job runs in the Rollout's namespace ${opts.namespace} under a name Sluice derives`,
    );
  const labels = fillStrings(job.metadata?.labels ?? {}, opts.fill, 'spec.job.metadata.labels') as Record<
    string,
    string
  >;
  const annotations = job.metadata?.annotations
    ? (fillStrings(job.metadata.annotations, opts.fill, 'spec.job.metadata.annotations') as Record<
        string,
        string
      >)
    : undefined;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: opts.name,
      namespace: opts.namespace,
      labels: {
        ...labels,
        [ROLLOUT_LABEL]: labelValue(opts.rollout),
        [METRIC_LABEL]: labelValue(opts.check),
      },
      ...(annotations ? { annotations } : {}),
    },
    spec: fillStrings(job.spec, opts.fill, 'spec.job.spec') as Record<string, unknown>,
  };
}
