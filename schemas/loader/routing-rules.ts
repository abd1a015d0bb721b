// Which of a Rollout's routing fields (spec.service: Flagger's Istio and Gateway API fields, session
// affinity) each traffic provider carries out. A field the provider would ignore is an error naming it,
// never a silent drop.
import type { TrafficProviderName } from '../../core/traffic/providers.js';
import { gatewayApiIssues } from './gateway-api-rules.js';
import type { Issue } from './issue.js';
import { type Path, valueAt } from './path.js';

/** The providers that carry out each routing field of spec.service. */
export const routingFieldProviders: Readonly<Record<string, readonly TrafficProviderName[]>> = {
  hosts: ['istio', 'gateway-api'],
  gateways: ['istio', 'gateway-api'],
  timeout: ['istio', 'gateway-api'],
  gatewayRefs: ['gateway-api'],
  match: ['istio', 'gateway-api'],
  rewrite: ['istio', 'gateway-api'],
  retries: ['istio'],
  headers: ['istio', 'gateway-api'],
  corsPolicy: ['istio'],
  trafficPolicy: ['istio'],
  sessionAffinity: ['istio', 'gateway-api'],
};

/** Label and annotation keys Sluice sets itself (sluice.dev/rollout, ...): a pipeline file may not set them. */
const RESERVED_KEY = /^([a-z0-9.-]+\.)?sluice\.dev\//;

const either = (names: readonly string[]) =>
  names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? 'none');

/** Routing fields the provider cannot carry out, session affinity outside a canary, reserved metadata keys. */
export function routingIssues(spec: unknown, provider: TrafficProviderName, isDefault: boolean): Issue[] {
  const issues: Issue[] = [];
  const named = JSON.stringify(provider) + (isDefault ? ' (the default)' : '');
  for (const [field, providers] of Object.entries(routingFieldProviders)) {
    if (valueAt(spec, ['service', field]) === undefined || providers.includes(provider)) continue;
    if (field === 'sessionAffinity' && provider === 'nginx') {
      issues.push(nginxAffinity(named));
      continue;
    }
    issues.push({
      field: ['spec', 'service', field],
      at: ['spec', 'service', field],
      prefer: 'key',
      message: `provider ${named} has no use for service.${field}: only ${either(providers)} ${providers.length > 1 ? 'carry' : 'carries'} it out`,
      hint: `set spec.provider to ${either(providers)}, or remove service.${field}`,
    });
  }
  if (valueAt(spec, ['service', 'gatewayRefs']) !== undefined && valueAt(spec, ['service', 'gateways']))
    issues.push({
      field: ['spec', 'service', 'gateways'],
      at: ['spec', 'service', 'gateways'],
      prefer: 'key',
      message: 'set service.gateways or service.gatewayRefs, not both',
      hint: 'gatewayRefs says everything gateways does (namespace, sectionName, port)',
    });
  if (
    valueAt(spec, ['service', 'sessionAffinity']) !== undefined &&
    valueAt(spec, ['strategy', 'canary']) === undefined
  )
    issues.push({
      field: ['spec', 'service', 'sessionAffinity'],
      at: ['spec', 'service', 'sessionAffinity'],
      prefer: 'key',
      message:
        'session affinity keeps a user on the canary while traffic shifts by weight: it needs strategy.canary',
      hint: 'use strategy.canary, or remove service.sessionAffinity (A/B testing already routes by cookie)',
    });
  const affinity = valueAt(spec, ['service', 'sessionAffinity']);
  const primaryCookie = valueAt(affinity, ['primaryCookieName']);
  if (primaryCookie !== undefined && primaryCookie === valueAt(affinity, ['cookieName']))
    issues.push({
      field: ['spec', 'service', 'sessionAffinity', 'primaryCookieName'],
      at: ['spec', 'service', 'sessionAffinity', 'primaryCookieName'],
      prefer: 'value',
      message: 'the primary cookie needs a name of its own: it is the same as cookieName',
      hint: 'name it differently, e.g. primary-<cookieName>',
    });
  for (const needsSecure of ['sameSite', 'partitioned'] as const) {
    const value = valueAt(affinity, [needsSecure]);
    if ((value === 'None' || value === true) && valueAt(affinity, ['secure']) !== true)
      issues.push({
        field: ['spec', 'service', 'sessionAffinity', needsSecure],
        at: ['spec', 'service', 'sessionAffinity', needsSecure],
        prefer: 'value',
        message: `browsers drop a cookie with ${needsSecure === 'sameSite' ? 'SameSite=None' : 'Partitioned'} that is not Secure`,
        hint: 'add secure: true',
      });
  }
  if (provider === 'gateway-api') issues.push(...gatewayApiIssues(spec));
  for (const which of ['apex', 'primary', 'canary'])
    for (const part of ['labels', 'annotations']) {
      const map = valueAt(spec, ['service', which, part]);
      if (map === null || typeof map !== 'object') continue;
      for (const key of Object.keys(map))
        if (RESERVED_KEY.test(key)) {
          const path: Path = ['spec', 'service', which, part, key];
          issues.push({
            field: path,
            at: path,
            prefer: 'key',
            message: `${key} is a key Sluice sets itself on the objects it generates`,
            hint: 'use a key outside sluice.dev/',
          });
        }
    }
  return issues;
}

/** Session affinity with ingress-nginx: Flagger has none either; what to use instead. */
function nginxAffinity(named: string): Issue {
  return {
    field: ['spec', 'service', 'sessionAffinity'],
    at: ['spec', 'service', 'sessionAffinity'],
    prefer: 'key',
    message: `provider ${named} has no use for service.sessionAffinity: Flagger's nginx router has no session affinity either (only istio and gateway-api carry it out)`,
    hint: "for sticky sessions set ingress-nginx's own cookie affinity on your Ingress (nginx.ingress.kubernetes.io/affinity: cookie; canaries respect it by default), use strategy.abTesting with a cookie match, or spec.provider gateway-api or istio",
  };
}
