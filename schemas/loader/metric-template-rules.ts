// MetricTemplate checks a schema cannot express: which fields each provider type reads. A field the
// provider would ignore is an error, so a template says what it does.
import { JOB_TIMEOUT_MAX } from '../../core/analysis/job-metric.js';
import { durationMs } from '../../core/duration.js';
import { fieldIssue, type Issue } from './issue.js';
import { valueAt } from './path.js';

/** Provider types whose metric is a query in spec.query. */
const QUERY_PROVIDERS = ['prometheus'];

/** spec.query: required for the query providers. */
export function queryIssues(spec: unknown): Issue[] {
  const type = valueAt(spec, ['provider', 'type']);
  if (typeof type !== 'string' || !QUERY_PROVIDERS.includes(type)) return [];
  if (valueAt(spec, ['query']) !== undefined) return [];
  return [fieldIssue(['spec'], `provider ${type} needs spec.query: the query to run`, undefined, 'key')];
}

/** spec.job: required for provider job (which reads nothing else) and refused for every other type. */
export function jobMetricIssues(spec: unknown): Issue[] {
  const type = valueAt(spec, ['provider', 'type']);
  const job = valueAt(spec, ['job']);
  if (type !== 'job')
    return job === undefined
      ? []
      : [
          fieldIssue(
            ['spec', 'job'],
            `spec.job applies to provider type job only, not ${type}`,
            'remove spec.job, or set provider.type: job',
            'key',
          ),
        ];
  const issues: Issue[] = [];
  if (job === undefined)
    issues.push(fieldIssue(['spec'], 'provider job needs spec.job: the Job to run', undefined, 'key'));
  const unused: [string[], string][] = [
    [['query'], 'a job metric runs no query: its value is 1 when the Job succeeds, 0 when it fails'],
    [['provider', 'address'], 'a job metric runs in the Rollout’s cluster: it has no address'],
    [['provider', 'secretRef'], 'a job metric sends no credentials: give the Job’s pod what it needs'],
  ];
  for (const [path, message] of unused)
    if (valueAt(spec, path) !== undefined)
      issues.push(fieldIssue(['spec', ...path], message, 'remove it', 'key'));
  const timeout = valueAt(job, ['timeout']);
  if (typeof timeout === 'string' && durationMs(timeout) > durationMs(JOB_TIMEOUT_MAX))
    issues.push(
      fieldIssue(
        ['spec', 'job', 'timeout'],
        `timeout ${timeout} is longer than ${JOB_TIMEOUT_MAX}, the most an analysis round waits for a Job`,
        `set at most ${JOB_TIMEOUT_MAX}; for a longer test, run it behind a pre-rollout webhook`,
      ),
    );
  return issues;
}
