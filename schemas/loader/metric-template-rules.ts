// MetricTemplate checks a schema cannot say clearly: which fields each provider type reads (a field the
// provider would ignore is an error), and the web provider's limits (body with POST, headers, timeout cap, jsonPath).
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
};

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
  if (type !== 'web')
    return has(['spec', 'web'])
      ? [
          ...issues,
          fieldIssue(['spec', 'web'], `web applies to provider type web only, not ${type}`, undefined, 'key'),
        ]
      : issues;
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
