import type { TrafficCapabilities } from '../../core/traffic/providers.js';
import { trafficCapabilities } from '../../core/traffic/providers.js';
import type { RequestMatch, RouteSpec, Routes, RouteTarget } from '../../core/traffic/routes.js';
import { carryOver } from './carry-over.js';
import { TrafficConfigError } from './errors.js';
import { applyOwned, type KindSource, ROLLOUT_LABEL, readObject, servedApiVersion } from './kube.js';
import {
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

const CRD_HINT = '(from istio.io/api kubernetes/customresourcedefinitions.gen.yaml, or an Istio install)';
const virtualServices: KindSource = {
  group: 'networking.istio.io',
  kind: 'VirtualService',
  versions: ['v1', 'v1beta1'],
  crd: `virtualservices.networking.istio.io ${CRD_HINT}`,
};
const destinationRules: KindSource = {
  group: 'networking.istio.io',
  kind: 'DestinationRule',
  versions: ['v1', 'v1beta1'],
  crd: `destinationrules.networking.istio.io ${CRD_HINT}`,
};

/** Fields of an http route that Sluice sets; everything else on a route (retries, corsPolicy, headers, ...) is
 * kept unless the Rollout sets it (then the Rollout's value wins). */
const MANAGED_ROUTE_FIELDS = ['name', 'match', 'route', 'mirror', 'mirrorPercentage', 'timeout'] as const;

/** Annotation listing the per-route fields the Rollout set last time, so one it no longer sets is removed. */
export const ROUTE_FIELDS_ANNOTATION = 'sluice.dev/route-fields';

/** Name of the route that sends holders of the session cookie to the canary (Flagger's). */
export const STICKY_ROUTE = 'sticky-route';

/** Name of the route that keeps holders of the primary cookie on the primary during a step. */
export const STICKY_PRIMARY_ROUTE = 'sticky-primary-route';

type HttpRoute = Record<string, unknown>;
type HttpMatch = Record<string, unknown>;
interface Destination {
  destination: { host: string; port?: { number: number } };
  weight?: number;
  headers?: unknown;
}

/** Istio HTTPMatchRequests for the A/B matches: headers as header matches, cookies as a regex on the Cookie header. */
export function istioMatches(match: RequestMatch[]): HttpMatch[] {
  return match.map((m) => {
    const headers: Record<string, Record<string, string>> = {};
    for (const [name, cond] of Object.entries(m.headers ?? {})) {
      const c = matchCondition(`header ${name}`, cond);
      headers[name.toLowerCase()] = { [c.type]: c.value };
    }
    const cookie = singleCookie('istio', m);
    if (cookie) headers.cookie = { regex: cookieHeaderRegex(cookie[0], cookie[1]) };
    return { headers };
  });
}

/**
 * Each of Sluice's matches combined with each of the Rollout's service.match (as Flagger's
 * mergeMatchConditions): a request must satisfy both; Sluice's header conditions are added to the route's.
 */
export function mergeMatches(ours: HttpMatch[], routeMatch: HttpMatch[] | undefined): HttpMatch[] {
  if (!routeMatch?.length) return ours;
  return ours.flatMap((o) =>
    routeMatch.map((r) => ({
      ...r,
      headers: { ...(r.headers as Record<string, unknown> | undefined), ...(o.headers as object) },
    })),
  );
}

/** Istio's HTTPRewrite: Flagger's `type` says how gateway-api replaces the path and has no place in Istio's. */
function istioRewrite(rewrite: Record<string, unknown>): Record<string, unknown> {
  const { type: _gatewayOnly, ...istio } = rewrite;
  return istio;
}

/** The Rollout's per-route fields (service.rewrite, retries, headers, corsPolicy, timeout) on every http route. */
function routeFields(target: RouteTarget): HttpRoute {
  const i = target.istio ?? {};
  return {
    ...(i.rewrite ? { rewrite: istioRewrite(i.rewrite) } : {}),
    ...(i.retries ? { retries: i.retries } : {}),
    ...(i.headers ? { headers: i.headers } : {}),
    ...(i.corsPolicy ? { corsPolicy: i.corsPolicy } : {}),
    ...(target.timeout ? { timeout: target.timeout } : {}),
  };
}

/**
 * The `http` routes of the VirtualService for a RouteSpec: an A/B route first when matched, the default
 * route last; with session affinity a sticky route first that sends the cookie's holders to the canary
 * (or, once the canary has no traffic, expires the cookie).
 */
export function istioHttpRoutes(target: RouteTarget, spec: RouteSpec, sticky?: StickyRoute): HttpRoute[] {
  const dest = (host: string, weight: number, headers?: unknown): Destination => ({
    destination: { host, port: { number: target.port } },
    weight,
    ...(headers ? { headers } : {}),
  });
  const fields = routeFields(target);
  const routeMatch = target.istio?.match;
  const onRoute = routeMatch?.length ? { match: routeMatch } : {};
  if (hasMatch(spec)) {
    return [
      {
        match: mergeMatches(istioMatches(spec.match), routeMatch),
        route: [
          dest(target.primaryService, spec.primaryWeight),
          dest(target.canaryService, spec.canaryWeight),
        ],
        ...fields,
      },
      { ...onRoute, route: [dest(target.primaryService, 100), dest(target.canaryService, 0)], ...fields },
    ];
  }
  const mirror = spec.mirror
    ? {
        mirror: { host: target.canaryService, port: { number: target.port } },
        mirrorPercentage: { value: 100 },
      }
    : {};
  const affinity = target.sessionAffinity;
  const setCookieHeaders =
    sticky?.active && affinity
      ? { response: { add: { 'Set-Cookie': setCookie(sticky.cookie, affinity) } } }
      : undefined;
  const setPrimaryHeaders =
    sticky?.active && sticky.primary && affinity
      ? { response: { add: { 'Set-Cookie': setPrimaryCookie(sticky.primary, affinity) } } }
      : undefined;
  const weighted: HttpRoute = {
    ...onRoute,
    route: [
      dest(target.primaryService, spec.primaryWeight, setPrimaryHeaders),
      dest(target.canaryService, spec.canaryWeight, setCookieHeaders),
    ],
    ...mirror,
    ...fields,
  };
  if (!sticky) return [weighted];
  const holders = (cookie: string) =>
    mergeMatches([{ headers: { cookie: { regex: cookieRegex(cookie) } } }], routeMatch);
  const route = sticky.active
    ? [dest(target.primaryService, 0), dest(target.canaryService, 100)]
    : [
        dest(target.primaryService, 100, {
          response: { add: { 'Set-Cookie': expireCookie(sticky.cookie, target.sessionAffinity) } },
        }),
        dest(target.canaryService, 0),
      ];
  const primary: HttpRoute[] =
    sticky.active && sticky.primary
      ? [
          {
            name: STICKY_PRIMARY_ROUTE,
            match: holders(sticky.primary),
            route: [dest(target.primaryService, 100), dest(target.canaryService, 0)],
            ...fields,
          },
        ]
      : [];
  return [{ name: STICKY_ROUTE, match: holders(sticky.cookie), route, ...fields }, ...primary, weighted];
}

/** The VirtualService `<service>` holding only the fields Sluice owns; existingHttp keeps others' per-route fields. */
export function virtualService(
  apiVersion: string,
  target: RouteTarget,
  spec: RouteSpec,
  existingHttp?: unknown,
  sticky?: StickyRoute,
  /** The ROUTE_FIELDS_ANNOTATION of the VirtualService as it is. */
  previousFields?: string,
): Record<string, unknown> & { apiVersion: string; kind: string } {
  const fields = Object.keys(routeFields(target)).filter((k) => k !== 'timeout');
  // Fields the Rollout set before are Sluice's to remove; others' fields on a route are kept.
  const managed = [...MANAGED_ROUTE_FIELDS, ...(previousFields?.split(',').filter(Boolean) ?? [])];
  const annotations = {
    ...target.metadata?.annotations,
    ...(sticky ? { [SESSION_COOKIE_ANNOTATION]: sticky.cookie } : {}),
    ...(sticky?.primary ? { [PRIMARY_COOKIE_ANNOTATION]: sticky.primary } : {}),
    ...(fields.length > 0 ? { [ROUTE_FIELDS_ANNOTATION]: fields.join(',') } : {}),
  };
  return {
    apiVersion,
    kind: 'VirtualService',
    metadata: {
      name: target.service,
      namespace: target.namespace,
      labels: { ...target.metadata?.labels, [ROLLOUT_LABEL]: target.rollout },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      hosts: target.hosts,
      ...(target.gateways.length > 0 ? { gateways: target.gateways } : {}),
      http: carryOver(existingHttp, istioHttpRoutes(target, spec, sticky), managed),
    },
  };
}

/** The http routes that split traffic: all but the sticky routes. */
function weightedRoutes(http: unknown): HttpRoute[] {
  const sticky = [STICKY_ROUTE, STICKY_PRIMARY_ROUTE];
  return Array.isArray(http) ? (http as HttpRoute[]).filter((r) => !sticky.includes(r?.name as string)) : [];
}

/** Reads the routing of a VirtualService's http routes: the A/B route when there is one, else the default route. */
export function istioRoutes(http: unknown, target: RouteTarget): Routes | undefined {
  const routes = weightedRoutes(http);
  if (routes.length === 0) return undefined;
  const route = routes[0] as { route?: Destination[]; mirror?: unknown };
  const weight = (host: string) =>
    route.route?.find((d) => d.destination.host === host)?.weight ?? (route.route?.length === 1 ? 100 : 0);
  const has = (host: string) => route.route?.some((d) => d.destination.host === host) ?? false;
  const primary = has(target.primaryService) ? weight(target.primaryService) : 0;
  const canary = has(target.canaryService) ? weight(target.canaryService) : 0;
  return routesOf(primary, canary, route.mirror !== undefined && routes.length === 1);
}

/** The sticky route for a RouteSpec given the VirtualService as it is (none without session affinity). */
function stickyFor(target: RouteTarget, spec: RouteSpec, existing: VirtualServiceObject | undefined) {
  return stickyForObject(
    target,
    spec,
    existing?.metadata?.annotations,
    () => istioRoutes(existing?.spec?.http, target)?.canaryWeight ?? 0,
  );
}

/** The per-route fields the Rollout set when the VirtualService was last applied. */
function previousFields(existing: VirtualServiceObject | undefined): string | undefined {
  return existing?.metadata?.annotations?.[ROUTE_FIELDS_ANNOTATION];
}

interface VirtualServiceObject {
  apiVersion: string;
  kind: string;
  metadata?: { annotations?: Record<string, string> };
  spec?: { http?: unknown };
}

/** Istio (Flagger's istio router): a VirtualService splitting `<service>` between the primary and canary Services. */
export class IstioProvider implements TrafficProvider {
  readonly name = 'istio';
  readonly capabilities: TrafficCapabilities = trafficCapabilities.istio;
  readonly ownedKinds = [virtualServices, destinationRules];

  constructor(private readonly deps: TrafficProviderDeps) {}

  /** Applies the two DestinationRules and the VirtualService (all traffic on the primary when new, else kept). */
  async reconcile(target: RouteTarget, match?: RequestMatch[]): Promise<void> {
    const objects = this.deps.kube.objects;
    const drVersion = await servedApiVersion(objects, destinationRules);
    for (const host of [target.primaryService, target.canaryService]) {
      await applyOwned(objects, {
        apiVersion: drVersion,
        kind: 'DestinationRule',
        metadata: { name: host, namespace: target.namespace, labels: { [ROLLOUT_LABEL]: target.rollout } },
        spec: { host, ...(target.istio?.trafficPolicy ? { trafficPolicy: target.istio.trafficPolicy } : {}) },
      } as Record<string, unknown> & { apiVersion: string; kind: string });
    }
    const { apiVersion, existing } = await this.read(target);
    const http = existing?.spec?.http;
    const spec = keptSpec(istioRoutes(http, target), weightedRoutes(http).length > 1, match);
    const sticky = stickyFor(target, spec, existing);
    await applyOwned(
      objects,
      virtualService(apiVersion, target, spec, http, sticky, previousFields(existing)),
    );
  }

  async setRoutes(target: RouteTarget, routes: RouteSpec): Promise<void> {
    checkRouteSpec(this.name, this.capabilities, routes);
    const { apiVersion, existing } = await this.read(target);
    const sticky = stickyFor(target, routes, existing);
    await applyOwned(
      this.deps.kube.objects,
      virtualService(apiVersion, target, routes, existing?.spec?.http, sticky, previousFields(existing)),
    );
  }

  async getRoutes(target: RouteTarget): Promise<Routes> {
    const { existing } = await this.read(target);
    const routes = existing ? istioRoutes(existing.spec?.http, target) : undefined;
    if (!routes)
      throw new TrafficConfigError(
        `VirtualService ${target.namespace}/${target.service} has no http route: reconcile first`,
      );
    return routes;
  }

  /** All traffic back on the primary, without matches or mirroring; the VirtualService and DestinationRules stay. */
  async finalize(target: RouteTarget): Promise<void> {
    const { existing } = await this.read(target);
    if (existing) await this.setRoutes(target, PRIMARY_ONLY);
  }

  private async read(target: RouteTarget) {
    const apiVersion = await servedApiVersion(this.deps.kube.objects, virtualServices);
    const existing = await readObject<VirtualServiceObject>(
      this.deps.kube.objects,
      apiVersion,
      'VirtualService',
      target.namespace,
      target.service,
    );
    return { apiVersion, existing };
  }
}
