// The Istio-shaped routing fields (service.match, service.headers, service.rewrite) a gateway-api Rollout uses, as Flagger's
// gateway-api router does: each must translate into an HTTPRouteMatch or a header filter, or the Rollout is
// refused naming the part the Gateway API cannot express.
import {
  gatewayHeaderFilters,
  gatewayRouteMatches,
  MAX_RULE_MATCHES,
} from '../../core/traffic/gateway-api-fields.js';
import { gatewayRewriteFilter } from '../../core/traffic/gateway-api-rewrite.js';
import { fieldIssue, type Issue } from './issue.js';
import { valueAt } from './path.js';

const lower = (names: unknown) =>
  names !== null && typeof names === 'object' ? Object.keys(names).map((n) => n.toLowerCase()) : [];

/** Headers Sluice matches itself on a gateway-api route: the A/B headers, Cookie for A/B cookies or stickiness. */
function sluiceHeaders(spec: unknown): Set<string> {
  const names = new Set<string>();
  const ab = valueAt(spec, ['strategy', 'abTesting', 'match']);
  for (const m of Array.isArray(ab) ? ab : []) {
    for (const n of lower(valueAt(m, ['headers']))) names.add(n);
    if (lower(valueAt(m, ['cookies'])).length > 0) names.add('cookie');
  }
  if (valueAt(spec, ['service', 'sessionAffinity']) !== undefined) names.add('cookie');
  return names;
}

/** What service.match and service.headers hold that the Gateway API cannot express. */
export function gatewayApiIssues(spec: unknown): Issue[] {
  const issues: Issue[] = [];
  const match = valueAt(spec, ['service', 'match']);
  if (match !== undefined) {
    for (const p of gatewayRouteMatches(match).problems)
      issues.push(
        fieldIssue(['spec', 'service', 'match', ...p.path], p.message, p.hint, p.key ? 'key' : 'value'),
      );
    const ours = sluiceHeaders(spec);
    (Array.isArray(match) ? match : []).forEach((m, i) => {
      for (const name of Object.keys((valueAt(m, ['headers']) as object | undefined) ?? {}))
        if (ours.has(name.toLowerCase()))
          issues.push(
            fieldIssue(
              ['spec', 'service', 'match', i, 'headers', name],
              `Sluice matches header ${name} itself here (A/B testing or session affinity); a match cannot test it twice`,
              'remove the condition from service.match, or test another header',
              'key',
            ),
          );
    });
    const ab = valueAt(spec, ['strategy', 'abTesting', 'match']);
    const count = Array.isArray(ab) && Array.isArray(match) ? ab.length * match.length : 0;
    if (count > MAX_RULE_MATCHES)
      issues.push(
        fieldIssue(
          ['spec', 'service', 'match'],
          `each A/B match is combined with each service match: ${count} matches, the Gateway API allows ${MAX_RULE_MATCHES} per rule`,
          'use fewer A/B or service matches',
          'key',
        ),
      );
  }
  const headers = valueAt(spec, ['service', 'headers']);
  if (headers !== undefined)
    for (const p of gatewayHeaderFilters(headers).problems)
      issues.push(
        fieldIssue(['spec', 'service', 'headers', ...p.path], p.message, p.hint, p.key ? 'key' : 'value'),
      );
  return [...issues, ...rewriteIssues(spec)];
}

/**
 * What service.rewrite holds that a URLRewrite filter cannot express; a prefix replacement also needs each
 * rule to have exactly one PathPrefix match (the Gateway API's own rule), so one service match at most.
 */
function rewriteIssues(spec: unknown): Issue[] {
  const rewrite = valueAt(spec, ['service', 'rewrite']);
  if (rewrite === undefined) return [];
  const at = ['spec', 'service', 'rewrite'];
  const issues = gatewayRewriteFilter(rewrite).problems.map((p) =>
    fieldIssue([...at, ...p.path], p.message, p.hint, p.key ? 'key' : 'value'),
  );
  if (valueAt(rewrite, ['type']) !== 'ReplacePrefixMatch') return issues;
  const match = valueAt(spec, ['service', 'match']);
  const ab = valueAt(spec, ['strategy', 'abTesting', 'match']);
  const one = (list: unknown) => list === undefined || (Array.isArray(list) && list.length === 1);
  const prefix = !Array.isArray(match) || valueAt(match[0], ['uri', 'prefix']) !== undefined;
  if (!one(match) || !one(ab) || !prefix)
    issues.push(
      fieldIssue(
        [...at, 'type'],
        'ReplacePrefixMatch needs each HTTPRoute rule to have exactly one path-prefix match',
        'give service.match one entry with uri.prefix (and A/B testing one match), or use ReplaceFullPath',
      ),
    );
  return issues;
}
