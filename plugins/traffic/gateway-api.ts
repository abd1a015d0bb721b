import type { TrafficCapabilities } from '../../core/traffic/providers.js';
import { trafficCapabilities } from '../../core/traffic/providers.js';
import type { RequestMatch, RouteSpec, Routes, RouteTarget } from '../../core/traffic/routes.js';
import { carryOver } from './carry-over.js';
import { TrafficConfigError } from './errors.js';
import { applyOwned, type KindSource, ROLLOUT_LABEL, readObject, servedApiVersion } from './kube.js';
import {
  asRegex,
  checkRouteSpec,
  cookieHeaderRegex,
  hasMatch,
  keptSpec,
  matchCondition,
  PRIMARY_ONLY,
  routesOf,
  singleCookie,
} from './routes.js';
import {
  cookieRegex,
  expireCookie,
  SESSION_COOKIE_ANNOTATION,
  type StickyRoute,
  setCookie,
  stickyRoute,
} from './session-affinity.js';
import type { TrafficProvider, TrafficProviderDeps } from './types.js';

const httpRoutes: KindSource = {
  group: 'gateway.networking.k8s.io',
  kind: 'HTTPRoute',
  versions: ['v1'],
  crd: 'httproutes.gateway.networking.k8s.io (Gateway API standard channel, sigs.k8s.io/gateway-api config/crd/standard)',
};

/** Fields of a rule that Sluice sets; others' fields on a rule (e.g. retry, sessionPersistence) are kept. */
const MANAGED_RULE_FIELDS = ['matches', 'backendRefs', 'timeouts', 'filters'] as const;

type Rule = Record<string, unknown>;
interface BackendRef {
  name: string;
  port?: number;
  weight?: number;
  kind?: string;
  group?: string;
  filters?: Filter[];
}
interface Filter {
  type: string;
  [k: string]: unknown;
}

/** A gateway reference "name" or "namespace/name" as an HTTPRoute parentRef. */
export function parentRef(gateway: string): { name: string; namespace?: string } {
  const parts = gateway.split('/');
  if (parts.length === 1 && parts[0]) return { name: gateway };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], name: parts[1] };
  throw new TrafficConfigError(
    `gateway-api: gateway ${JSON.stringify(gateway)} is not "name" or "namespace/name"`,
  );
}

/** HTTPRouteMatches for the A/B matches: header conditions, a cookie as a regex on the Cookie header. */
export function gatewayMatches(
  match: RequestMatch[],
): { headers: { type: string; name: string; value: string }[] }[] {
  return match.map((m) => {
    const headers = Object.entries(m.headers ?? {}).map(([name, cond]) => {
      const c = matchCondition(`header ${name}`, cond);
      return c.type === 'exact'
        ? { type: 'Exact', name, value: c.value }
        : { type: 'RegularExpression', name, value: asRegex(`header ${name}`, cond) };
    });
    const cookie = singleCookie('gateway-api', m);
    if (cookie)
      headers.push({ type: 'RegularExpression', name: 'Cookie', value: cookieHeaderRegex(...cookie) });
    return { headers };
  });
}

/** A backendRef filter that adds a Set-Cookie header to the backend's responses. */
function addSetCookie(value: string): Filter[] {
  return [
    { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'Set-Cookie', value }] } },
  ];
}

/**
 * The rules for a RouteSpec: an A/B rule first when matched, the default rule last; with session affinity a
 * sticky rule first that sends the cookie's holders to the canary (or expires the cookie once the canary has
 * no traffic). Others' rule filters are kept.
 */
export function gatewayRules(
  target: RouteTarget,
  spec: RouteSpec,
  existing?: unknown,
  sticky?: StickyRoute,
): Rule[] {
  const affinity = target.sessionAffinity;
  const backends = (primary: number, canary: number, cookie?: 'set' | 'expire'): BackendRef[] => [
    {
      name: target.primaryService,
      port: target.port,
      weight: primary,
      ...(cookie === 'expire' && sticky ? { filters: addSetCookie(expireCookie(sticky.cookie)) } : {}),
    },
    {
      name: target.canaryService,
      port: target.port,
      weight: canary,
      ...(cookie === 'set' && sticky && affinity
        ? { filters: addSetCookie(setCookie(sticky.cookie, affinity)) }
        : {}),
    },
  ];
  const timeouts = target.timeout ? { timeouts: { request: target.timeout } } : {};
  const rules: Rule[] = hasMatch(spec)
    ? [
        {
          matches: gatewayMatches(spec.match),
          backendRefs: backends(spec.primaryWeight, spec.canaryWeight),
          ...timeouts,
        },
        { backendRefs: backends(100, 0), ...timeouts },
      ]
    : [
        ...(sticky
          ? [
              {
                matches: [
                  {
                    headers: [
                      { type: 'RegularExpression', name: 'Cookie', value: cookieRegex(sticky.cookie) },
                    ],
                  },
                ],
                backendRefs: sticky.active ? backends(0, 100) : backends(100, 0, 'expire'),
                ...timeouts,
              },
            ]
          : []),
        {
          backendRefs: backends(spec.primaryWeight, spec.canaryWeight, sticky?.active ? 'set' : undefined),
          ...timeouts,
        },
      ];
  const old = Array.isArray(existing) ? (existing as Rule[]) : [];
  return carryOver(existing, rules, MANAGED_RULE_FIELDS).map((rule, i) => {
    // Filters are one list: keep the ones others added, and own only the mirror.
    const before = old[old.length - rules.length + i]?.filters;
    const kept = (Array.isArray(before) ? (before as Filter[]) : []).filter(
      (f) => f.type !== 'RequestMirror',
    );
    const last = i === rules.length - 1;
    const mirror: Filter[] =
      spec.mirror && last
        ? [
            {
              type: 'RequestMirror',
              requestMirror: { backendRef: { name: target.canaryService, port: target.port } },
            },
          ]
        : [];
    const filters = [...kept, ...mirror];
    return filters.length > 0 ? { ...rule, filters } : rule;
  });
}

/** The HTTPRoute `<service>` holding only the fields Sluice owns. */
export function httpRoute(
  target: RouteTarget,
  spec: RouteSpec,
  existingRules?: unknown,
  sticky?: StickyRoute,
): Record<string, unknown> & { apiVersion: string; kind: string } {
  // Without gateways the route attaches to the apex Service itself (the Gateway API's mesh mode, GAMMA).
  const parentRefs = target.gatewayRefs?.length
    ? target.gatewayRefs
    : target.gateways.length > 0
      ? target.gateways.map(parentRef)
      : [{ group: '', kind: 'Service', name: target.service, port: target.port }];
  const annotations = {
    ...target.metadata?.annotations,
    ...(sticky ? { [SESSION_COOKIE_ANNOTATION]: sticky.cookie } : {}),
  };
  return {
    apiVersion: `${httpRoutes.group}/v1`,
    kind: 'HTTPRoute',
    metadata: {
      name: target.service,
      namespace: target.namespace,
      labels: { ...target.metadata?.labels, [ROLLOUT_LABEL]: target.rollout },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      parentRefs,
      hostnames: target.hosts,
      rules: gatewayRules(target, spec, existingRules, sticky),
    },
  };
}

/** The rules that split traffic: with session affinity the first of two is the sticky rule. */
function weightedRules(rules: unknown, target: RouteTarget): Rule[] {
  if (!Array.isArray(rules)) return [];
  return target.sessionAffinity && rules.length === 2 ? (rules.slice(1) as Rule[]) : (rules as Rule[]);
}

/** The sticky rule for a RouteSpec given the HTTPRoute as it is (none without session affinity). */
function stickyFor(target: RouteTarget, spec: RouteSpec, existing: HttpRouteObject | undefined) {
  if (!target.sessionAffinity || hasMatch(spec) || spec.mirror) return undefined;
  const previous = existing?.metadata?.annotations?.[SESSION_COOKIE_ANNOTATION];
  const now = gatewayRoutes(existing?.spec?.rules, target)?.canaryWeight ?? 0;
  return stickyRoute(target.sessionAffinity, spec, previous, now);
}

interface HttpRouteObject {
  apiVersion: string;
  kind: string;
  metadata?: { annotations?: Record<string, string> };
  spec?: { rules?: unknown };
}

/** Reads the routing of an HTTPRoute's rules: the A/B rule when there is one, else the default rule. */
export function gatewayRoutes(all: unknown, target: RouteTarget): Routes | undefined {
  const rules = weightedRules(all, target);
  if (rules.length === 0) return undefined;
  const rule = rules[0] as { backendRefs?: BackendRef[]; filters?: Filter[] };
  const refs = rule.backendRefs ?? [];
  // An unset weight means 1: the share is relative to the other backends of the rule.
  const total = refs.reduce((sum, r) => sum + (r.weight ?? 1), 0);
  const share = (name: string) => {
    const w = refs.filter((r) => r.name === name).reduce((sum, r) => sum + (r.weight ?? 1), 0);
    return total === 0 ? 0 : Math.round((w * 100) / total);
  };
  const mirrored = rules.length === 1 && (rule.filters ?? []).some((f) => f.type === 'RequestMirror');
  const canary = share(target.canaryService);
  return routesOf(total === 0 ? 100 : 100 - canary, canary, mirrored);
}

/** Gateway API (Flagger's gateway-api router): an HTTPRoute splitting `<service>` between primary and canary. */
export class GatewayApiProvider implements TrafficProvider {
  readonly name = 'gateway-api';
  readonly capabilities: TrafficCapabilities = trafficCapabilities['gateway-api'];
  readonly ownedKinds = [httpRoutes];

  constructor(private readonly deps: TrafficProviderDeps) {}

  async reconcile(target: RouteTarget, match?: RequestMatch[]): Promise<void> {
    const existing = await this.read(target);
    const rules = existing?.spec?.rules;
    const spec = keptSpec(gatewayRoutes(rules, target), weightedRules(rules, target).length > 1, match);
    const sticky = stickyFor(target, spec, existing);
    await applyOwned(this.deps.kube.objects, httpRoute(target, spec, rules, sticky));
  }

  async setRoutes(target: RouteTarget, routes: RouteSpec): Promise<void> {
    checkRouteSpec(this.name, this.capabilities, routes);
    const existing = await this.read(target);
    const sticky = stickyFor(target, routes, existing);
    await applyOwned(this.deps.kube.objects, httpRoute(target, routes, existing?.spec?.rules, sticky));
  }

  async getRoutes(target: RouteTarget): Promise<Routes> {
    const existing = await this.read(target);
    const routes = existing ? gatewayRoutes(existing.spec?.rules, target) : undefined;
    if (!routes)
      throw new TrafficConfigError(
        `HTTPRoute ${target.namespace}/${target.service} has no rule: reconcile first`,
      );
    return routes;
  }

  /** All traffic back on the primary, without matches or mirroring; the HTTPRoute stays. */
  async finalize(target: RouteTarget): Promise<void> {
    if (await this.read(target)) await this.setRoutes(target, PRIMARY_ONLY);
  }

  private async read(target: RouteTarget) {
    const apiVersion = await servedApiVersion(this.deps.kube.objects, httpRoutes);
    return readObject<HttpRouteObject>(
      this.deps.kube.objects,
      apiVersion,
      'HTTPRoute',
      target.namespace,
      target.service,
    );
  }
}
