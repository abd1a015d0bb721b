// Checks a schema cannot express, run on each schema-valid object: what a Rollout's traffic provider
// can do, metrics with no query, and CEL expressions that do not compile. Each is an Issue, so it is
// reported as `file:line:col: field: message (hint)` like any other load error.
import { builtinQuery, isBuiltinCheck, NoBuiltinQueryError } from '../../core/analysis/builtins.js';
import { validateSuccessCondition } from '../../core/analysis/condition.js';
import { validateCelExpression } from '../../core/health/health.js';
import { type TrafficProviderName, trafficCapabilities } from '../../core/traffic/providers.js';
import { alertProviderIssues } from './alert-provider-rules.js';
import { applicationSourceIssues } from './application-source-rules.js';
import type { Candidate } from './candidate.js';
import type { Issue } from './issue.js';
import { metricTemplateIssues } from './metric-template-rules.js';
import { type Path, valueAt } from './path.js';
import { rolloutMetricLists } from './rollout-metrics.js';
import { routingIssues } from './routing-rules.js';

type Capability = 'weights' | 'match' | 'mirror';

/** Providers that can do `what`, for hints: "istio, gateway-api or nginx". */
function providersWith(what: Capability): string {
  const names = Object.entries(trafficCapabilities)
    .filter(([, caps]) => caps[what])
    .map(([name]) => name);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? 'none');
}

const issue = (
  field: Path,
  message: string,
  hint?: string,
  at: Path = field,
  prefer: Issue['prefer'] = 'value',
): Issue => ({
  field,
  at,
  prefer,
  message,
  ...(hint ? { hint } : {}),
});

/** Whether the provider has queries for the built-in checks (asked of builtins.ts, which owns them). */
function hasBuiltinQueries(provider: TrafficProviderName): boolean {
  try {
    // Any ingress name: this asks about the provider only; a missing ingressRef is its own error.
    builtinQuery('request-success-rate', provider, 'ingress');
    return true;
  } catch (err) {
    if (err instanceof NoBuiltinQueryError) return false;
    throw err;
  }
}

/** Every metric check of a Rollout with its path. */
function metricsOf(spec: unknown): { path: Path; metric: unknown }[] {
  return rolloutMetricLists(spec).flatMap(({ path, list }) =>
    Array.isArray(list) ? list.map((metric, i) => ({ path: [...path, i], metric })) : [],
  );
}

/** The provider a Rollout uses: its own spec.provider, else the administrator's default, else kubernetes. */
export function providerOf(spec: unknown, defaultProvider?: TrafficProviderName): TrafficProviderName {
  const set = valueAt(spec, ['provider']);
  return (typeof set === 'string' ? set : (defaultProvider ?? 'kubernetes')) as TrafficProviderName;
}

/** The provider's strategy rules: weights, A/B matches, mirroring, nginx's Ingress. */
function strategyIssues(spec: unknown, defaultProvider?: TrafficProviderName): Issue[] {
  const set = valueAt(spec, ['provider']);
  const provider = providerOf(spec, defaultProvider);
  const caps = trafficCapabilities[provider];
  if (!caps) return []; // the schema's enum reports it
  const strategy = ['canary', 'blueGreen', 'abTesting'].find(
    (k) => valueAt(spec, ['strategy', k]) !== undefined,
  );
  const named = JSON.stringify(provider) + (set === undefined ? ' (the default)' : '');
  // Point at spec.provider when it is written, else at the strategy that needs another one.
  const at: Path = set === undefined ? ['spec', 'strategy', strategy ?? ''] : ['spec', 'provider'];
  const prefer = set === undefined ? 'key' : 'value';
  const issues: Issue[] = [];
  if (strategy === 'abTesting' && !caps.match)
    issues.push(
      issue(
        ['spec', 'provider'],
        `provider ${named} cannot route by header or cookie: strategy.abTesting needs ${providersWith('match')}`,
        `set spec.provider to ${providersWith('match')}`,
        at,
        prefer,
      ),
    );
  else if (strategy !== 'blueGreen' && !caps.weights)
    issues.push(
      issue(
        ['spec', 'provider'],
        `provider ${named} only switches all traffic at once: it supports strategy.blueGreen only, not strategy.${strategy}`,
        `weighted traffic needs spec.provider ${providersWith('weights')}`,
        at,
        prefer,
      ),
    );
  if (valueAt(spec, ['strategy', 'blueGreen', 'mirror']) === true && !caps.mirror)
    issues.push(
      issue(
        ['spec', 'strategy', 'blueGreen', 'mirror'],
        `provider ${named} cannot mirror traffic`,
        `mirroring needs spec.provider ${providersWith('mirror')}; or remove mirror`,
      ),
    );
  if (provider === 'nginx' && valueAt(spec, ['ingressRef']) === undefined)
    issues.push(
      issue(
        ['spec', 'ingressRef'],
        'provider "nginx" needs spec.ingressRef: the Ingress that routes to the Service',
        'set spec.ingressRef.name; Sluice adds a <name>-canary Ingress beside it',
        ['spec', 'provider'],
      ),
    );
  return issues;
}

/** Metric checks: a successCondition that compiles, and a query for every built-in used without a template. */
function metricIssues(spec: unknown, defaultProvider?: TrafficProviderName): Issue[] {
  const provider = providerOf(spec, defaultProvider);
  const builtins = !Object.hasOwn(trafficCapabilities, provider) || hasBuiltinQueries(provider);
  const issues: Issue[] = [];
  for (const { path, metric } of metricsOf(spec)) {
    const name = valueAt(metric, ['name']);
    if (typeof name === 'string' && isBuiltinCheck(name) && !valueAt(metric, ['templateRef']) && !builtins)
      issues.push(
        issue(
          [...path, 'name'],
          `no built-in ${name} query for provider ${JSON.stringify(provider)}: use a MetricTemplate`,
          'give the check a templateRef to a MetricTemplate with your own query',
        ),
      );
    const condition = valueAt(metric, ['successCondition']);
    const error = typeof condition === 'string' ? validateSuccessCondition(condition) : undefined;
    if (error)
      issues.push(
        issue(
          [...path, 'successCondition'],
          `invalid CEL: ${error}`,
          'the condition sees the query result as `result`, e.g. "result >= 99"',
        ),
      );
  }
  return issues;
}

/** Application healthChecks: each CEL expression must compile. */
function healthCheckIssues(spec: unknown): Issue[] {
  const checks = valueAt(spec, ['healthChecks']);
  if (!Array.isArray(checks)) return [];
  const issues: Issue[] = [];
  checks.forEach((check, i) => {
    for (const field of ['current', 'inProgress', 'failed']) {
      const expr = valueAt(check, [field]);
      const error = typeof expr === 'string' ? validateCelExpression(expr) : undefined;
      if (error)
        issues.push(
          issue(
            ['spec', 'healthChecks', i, field],
            `invalid CEL: ${error}`,
            'the expression sees the live object as `self` and its top-level fields (apiVersion, kind, metadata, spec, status) by name, as in Flux',
          ),
        );
    }
  });
  return issues;
}

/** The issues of one schema-valid candidate that only its meaning reveals. */
export function checkRules(c: Candidate, defaultProvider?: TrafficProviderName): Issue[] {
  const spec = valueAt(c.value, ['spec']);
  switch (c.kind) {
    case 'Rollout':
      return [
        ...strategyIssues(spec, defaultProvider),
        ...metricIssues(spec, defaultProvider),
        ...routingIssues(spec, providerOf(spec, defaultProvider), valueAt(spec, ['provider']) === undefined),
      ];
    case 'Application':
      return [...healthCheckIssues(spec), ...applicationSourceIssues(spec)];
    case 'AlertProvider':
      return alertProviderIssues(spec);
    case 'MetricTemplate':
      return metricTemplateIssues(spec);
    default:
      return [];
  }
}
