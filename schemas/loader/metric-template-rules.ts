// MetricTemplate checks a schema cannot say clearly: which fields each provider type reads (a field the
// provider would ignore is an error), the web provider's limits (body with POST, headers, timeout cap, jsonPath)
// and the job provider's (timeout cap).
import { JOB_TIMEOUT_MAX } from '../../core/analysis/job-metric.js';
import { jsonPathProblem } from '../../core/analysis/json-path.js';
import { MAX_WEB_TIMEOUT } from '../../core/analysis/web-limits.js';
import { durationMs } from '../../core/duration.js';
import { webhookHeaderProblem } from '../../core/steps/webhook.js';
import { fieldIssue, type Issue } from './issue.js';
import { type Path, valueAt } from './path.js';

/** Fields of spec.provider and spec that only the prometheus provider reads. */
const prometheusOnly: { path: Path; hint: string }[] = [
  { path: ['spec', 'query'], hint: 'a web metric is its request: set spec.web.url (and jsonPath)' },
  { path: ['spec', 'provider', 'address'], hint: 'set the URL to call in spec.web.url' },
  {
    path: ['spec', 'provider', 'secretRef'],
    hint: 'send a secret as a request header: spec.web.headers[{name: Authorization, secretRef: {...}}]',
  },
];

/** What each provider type reads: a missing one is reported like a missing required field. */
const needs: Record<string, { field: string; hint: string }> = {
  prometheus: {
    field: 'query',
    hint: 'the PromQL query to run, e.g. query: sum(rate(http_requests_total[1m]))',
  },
  web: { field: 'web', hint: 'the request to send: web: {url: https://…, jsonPath: "{$.data.value}"}' },
  job: { field: 'job', hint: 'the Job to run: job: {spec: {template: {spec: {containers: […]}}}}' },
};

/** Fields a job metric does without, and why. */
const jobUnused: { path: Path; message: string }[] = [
  {
    path: ['spec', 'query'],
    message: 'a job metric runs no query: its value is 1 when the Job succeeds, 0 when it fails',
  },
  {
    path: ['spec', 'provider', 'address'],
    message: 'a job metric runs in the Rollout’s cluster: it has no address',
  },
  {
    path: ['spec', 'provider', 'secretRef'],
    message: 'a job metric sends no credentials: give the Job’s pod what it needs',
  },
];

/** The issues of a schema-valid MetricTemplate spec. */
export function metricTemplateIssues(spec: unknown): Issue[] {
  const type = String(valueAt(spec, ['provider', 'type']));
  const has = (path: Path) => valueAt({ spec }, path) !== undefined;
  const issues: Issue[] = [];
  const need = Object.hasOwn(needs, type) ? needs[type] : undefined;
  if (need && !has(['spec', need.field]))
    issues.push({
      field: ['spec', need.field],
      at: ['spec'],
      prefer: 'key',
      message: `missing required field for provider type ${type}`,
      hint: need.hint,
    });
  for (const other of ['web', 'job'])
    if (type !== other && has(['spec', other]))
      issues.push(
        fieldIssue(
          ['spec', other],
          `${other} applies to provider type ${other} only, not ${type}`,
          `remove spec.${other}, or set provider.type: ${other}`,
          'key',
        ),
      );
  if (type === 'job') return [...issues, ...jobIssues(spec, has)];
  if (type !== 'web') return issues;
  issues.push(
    ...prometheusOnly
      .filter((f) => has(f.path))
      .map((f) => fieldIssue(f.path, 'the web provider does not read this field', f.hint, 'key')),
  );
  const method = valueAt(spec, ['web', 'method']) ?? 'GET';
  if (has(['spec', 'web', 'body']) && method !== 'POST')
    issues.push(
      fieldIssue(['spec', 'web', 'body'], `a ${method} request has no body`, 'set web.method: POST', 'key'),
    );
  const headers = valueAt(spec, ['web', 'headers']);
  (Array.isArray(headers) ? headers : []).forEach((h, i) => {
    const problem = webhookHeaderProblem(String(valueAt(h, ['name'])));
    if (problem) issues.push(fieldIssue(['spec', 'web', 'headers', i, 'name'], problem));
  });
  const timeout = valueAt(spec, ['web', 'timeout']);
  if (typeof timeout === 'string' && durationMs(timeout) > durationMs(MAX_WEB_TIMEOUT))
    issues.push(
      fieldIssue(
        ['spec', 'web', 'timeout'],
        `must be at most ${MAX_WEB_TIMEOUT}`,
        'an analysis round retries an unreachable endpoint three times within its 3 minutes',
      ),
    );
  const jsonPath = valueAt(spec, ['web', 'jsonPath']);
  const problem = typeof jsonPath === 'string' ? jsonPathProblem(jsonPath) : undefined;
  if (problem)
    issues.push(
      fieldIssue(
        ['spec', 'web', 'jsonPath'],
        problem,
        'name the value by its path, e.g. {$.data.items[0].value}; let the endpoint do the filtering',
      ),
    );
  return issues;
}

/** A job metric's own issues: fields it does without, a timeout over the cap. */
function jobIssues(spec: unknown, has: (path: Path) => boolean): Issue[] {
  const issues = jobUnused
    .filter((f) => has(f.path))
    .map((f) => fieldIssue(f.path, f.message, 'remove it', 'key'));
  const timeout = valueAt(spec, ['job', 'timeout']);
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
