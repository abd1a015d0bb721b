import {
  type GatewayRouteMatch,
  type GatewayValueMatch,
  gatewayHeaderFilters,
  gatewayRouteMatches,
} from '../../core/traffic/gateway-api-fields.js';
import { gatewayRewriteFilter } from '../../core/traffic/gateway-api-rewrite.js';
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
  PRIMARY_COOKIE_ANNOTATION,
  SESSION_COOKIE_ANNOTATION,
  type StickyRoute,
  setCookie,
  setPrimaryCookie,
  stickyForObject,
} from './session-affinity.js';
import type { TrafficProvider, TrafficProviderDeps } from './types.js';

const httpRoutes: KindSource = {
  group: 'gateway.networking.k8s.io',
  kind: 'HTTPRoute',
  versions: ['v1'],
  crd: 'httproutes.gateway.networking.k8s.io (Gateway API standard channel, sigs.k8s.io/gateway-api config/crd/standard)',
};

/** Annotation listing the rule filter types service.headers set last time, so one the Rollout no longer sets is removed. */
export const ROUTE_FILTERS_ANNOTATION = 'sluice.dev/route-filters';

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
export function gatewayMatches(match: RequestMatch[]): GatewayRouteMatch[] {
  return match.map((m) => {
    const headers = Object.entries(m.headers ?? {}).map(([name, cond]): GatewayValueMatch => {
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

/** The Rollout's service.match, service.headers and service.rewrite in Gateway API terms; TrafficConfigError when inexpressible. */
function serviceFields(target: RouteTarget): { matches?: GatewayRouteMatch[]; filters: Filter[] } {
  const problems: string[] = [];
  const m = target.istio?.match ? gatewayRouteMatches(target.istio.match) : undefined;
  const h = target.istio?.headers ? gatewayHeaderFilters(target.istio.headers) : undefined;
  const r = target.istio?.rewrite ? gatewayRewriteFilter(target.istio.rewrite) : undefined;
  for (const [field, found] of [
    ['match', m],
    ['headers', h],
    ['rewrite', r],
  ] as const)
    for (const p of found?.problems ?? [])
      problems.push(`service.${[field, ...p.path].join('.')}: ${p.message}`);
  if (problems.length > 0) throw new TrafficConfigError(`gateway-api: ${problems.join('; ')}`);
  return {
    ...(m?.matches.length ? { matches: m.matches } : {}),
    filters: [...(h?.filters ?? []), ...(r?.filter ? [r.filter] : [])] as Filter[],
  };
}

/**
 * Each of Sluice's matches (A/B, sticky cookie) combined with each of the Rollout's service.match: a request
 * must satisfy both, so Sluice's header conditions are added to the service match's.
 */
export function mergeGatewayMatches(
  ours: GatewayRouteMatch[],
  service: GatewayRouteMatch[] | undefined,
): GatewayRouteMatch[] {
  if (!service?.length) return ours;
  return ours.flatMap((o) =>
    service.map((s) => {
      const names = new Set((o.headers ?? []).map((h) => h.name.toLowerCase()));
      const clash = (s.headers ?? []).find((h) => names.has(h.name.toLowerCase()));
      if (clash)
        throw new TrafficConfigError(
          `gateway-api: service.match tests header ${clash.name}, which Sluice matches for A/B testing or session affinity`,
        );
      return { ...s, headers: [...(s.headers ?? []), ...(o.headers ?? [])] };
    }),
  );
}

const cookieMatch = (cookie: string): GatewayRouteMatch => ({
  headers: [{ type: 'RegularExpression', name: 'Cookie', value: cookieRegex(cookie) }],
});

/**
 * The rules for a RouteSpec: an A/B rule first when matched, the default rule last; with session affinity
 * sticky rules first that send the cookie's holders to the canary (or expire the cookie once the canary has no
 * traffic) and, with a primary cookie, its holders to the primary. Every rule carries the Rollout's
 * service.match and header filters; others' rule filters are kept unless the Rollout sets (or set) that type.
 */
export function gatewayRules(
  target: RouteTarget,
  spec: RouteSpec,
  existing?: unknown,
  sticky?: StickyRoute,
  /** The ROUTE_FILTERS_ANNOTATION of the HTTPRoute as it is. */
  previousFilters?: string,
): Rule[] {
  const affinity = target.sessionAffinity;
  const own = serviceFields(target);
  const backends = (primary: number, canary: number, cookie?: 'set' | 'expire'): BackendRef[] => [
    {
      name: target.primaryService,
      port: target.port,
      weight: primary,
      ...(cookie === 'expire' && sticky
        ? { filters: addSetCookie(expireCookie(sticky.cookie, target.sessionAffinity)) }
        : {}),
      ...(cookie === 'set' && sticky?.primary && affinity
        ? { filters: addSetCookie(setPrimaryCookie(sticky.primary, affinity)) }
        : {}),
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
  const rule = (ours: GatewayRouteMatch[] | undefined, backendRefs: BackendRef[]): Rule => {
    const matches = ours ? mergeGatewayMatches(ours, own.matches) : own.matches;
    return { ...(matches ? { matches } : {}), backendRefs, ...timeouts };
  };
  const stickyRules: Rule[] = sticky
    ? [
        rule([cookieMatch(sticky.cookie)], sticky.active ? backends(0, 100) : backends(100, 0, 'expire')),
        ...(sticky.active && sticky.primary ? [rule([cookieMatch(sticky.primary)], backends(100, 0))] : []),
      ]
    : [];
  const rules: Rule[] = hasMatch(spec)
    ? [
        rule(gatewayMatches(spec.match), backends(spec.primaryWeight, spec.canaryWeight)),
        rule(undefined, backends(100, 0)),
      ]
    : [
        ...stickyRules,
        rule(undefined, backends(spec.primaryWeight, spec.canaryWeight, sticky?.active ? 'set' : undefined)),
      ];
  // Filter types Sluice owns on a rule: the mirror, and the header modifiers the Rollout sets or set last time.
  const owned = new Set([
    'RequestMirror',
    ...own.filters.map((f) => f.type),
    ...(previousFilters?.split(',').filter(Boolean) ?? []),
  ]);
  const old = Array.isArray(existing) ? (existing as Rule[]) : [];
  return carryOver(existing, rules, MANAGED_RULE_FIELDS).map((r, i) => {
    const before = old[old.length - rules.length + i]?.filters;
    const kept = (Array.isArray(before) ? (before as Filter[]) : []).filter((f) => !owned.has(f.type));
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
    const filters = [...own.filters, ...kept, ...mirror];
    return filters.length > 0 ? { ...r, filters } : r;
  });
}

/** The header filter types the Rollout sets on every rule, as ROUTE_FILTERS_ANNOTATION records them. */
function filterTypes(target: RouteTarget): string[] {
  return serviceFields(target).filters.map((f) => f.type);
}

/** The HTTPRoute `<service>` holding only the fields Sluice owns. */
export function httpRoute(
  target: RouteTarget,
  spec: RouteSpec,
  existingRules?: unknown,
  sticky?: StickyRoute,
  /** The ROUTE_FILTERS_ANNOTATION of the HTTPRoute as it is. */
  previousFilters?: string,
): Record<string, unknown> & { apiVersion: string; kind: string } {
  // Without gateways the route attaches to the apex Service itself (the Gateway API's mesh mode, GAMMA).
  const parentRefs = target.gatewayRefs?.length
    ? target.gatewayRefs
    : target.gateways.length > 0
      ? target.gateways.map(parentRef)
      : [{ group: '', kind: 'Service', name: target.service, port: target.port }];
  const filters = filterTypes(target);
  const annotations = {
    ...target.metadata?.annotations,
    ...(sticky ? { [SESSION_COOKIE_ANNOTATION]: sticky.cookie } : {}),
    ...(sticky?.primary ? { [PRIMARY_COOKIE_ANNOTATION]: sticky.primary } : {}),
    ...(filters.length > 0 ? { [ROUTE_FILTERS_ANNOTATION]: filters.join(',') } : {}),
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
      rules: gatewayRules(target, spec, existingRules, sticky, previousFilters),
    },
  };
}

/** The rules that split traffic: with session affinity the sticky rules come first and the weighted rule last. */
function weightedRules(rules: unknown, target: RouteTarget): Rule[] {
  if (!Array.isArray(rules)) return [];
  return target.sessionAffinity ? (rules.slice(-1) as Rule[]) : (rules as Rule[]);
}

/** The sticky rule for a RouteSpec given the HTTPRoute as it is (none without session affinity). */
function stickyFor(target: RouteTarget, spec: RouteSpec, existing: HttpRouteObject | undefined) {
  return stickyForObject(
    target,
    spec,
    existing?.metadata?.annotations,
    () => gatewayRoutes(existing?.spec?.rules, target)?.canaryWeight ?? 0,
  );
}

/** The header filter types the Rollout set when the HTTPRoute was last applied. */
function previousFilters(existing: HttpRouteObject | undefined): string | undefined {
  return existing?.metadata?.annotations?.[ROUTE_FILTERS_ANNOTATION];
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
    await applyOwned(
      this.deps.kube.objects,
      httpRoute(target, spec, rules, sticky, previousFilters(existing)),
    );
  }

  async setRoutes(target: RouteTarget, routes: RouteSpec): Promise<void> {
    checkRouteSpec(this.name, this.capabilities, routes);
    const existing = await this.read(target);
    const sticky = stickyFor(target, routes, existing);
    await applyOwned(
      this.deps.kube.objects,
      httpRoute(target, routes, existing?.spec?.rules, sticky, previousFilters(existing)),
    );
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
