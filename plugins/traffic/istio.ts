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

/** Fields of an http route that Sluice sets; everything else on a route (retries, corsPolicy, headers, ...) is kept. */
const MANAGED_ROUTE_FIELDS = ['match', 'route', 'mirror', 'mirrorPercentage', 'timeout'] as const;

type HttpRoute = Record<string, unknown>;
interface Destination {
  destination: { host: string; port?: { number: number } };
  weight?: number;
}

/** Istio HTTPMatchRequests for the A/B matches: headers as header matches, cookies as a regex on the Cookie header. */
export function istioMatches(match: RequestMatch[]): Record<string, unknown>[] {
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

/** The `http` routes of the VirtualService for a RouteSpec: an A/B route first when matched, the default route last. */
export function istioHttpRoutes(target: RouteTarget, spec: RouteSpec): HttpRoute[] {
  const dest = (host: string, weight: number): Destination => ({
    destination: { host, port: { number: target.port } },
    weight,
  });
  const timeout = target.timeout ? { timeout: target.timeout } : {};
  if (hasMatch(spec)) {
    return [
      {
        match: istioMatches(spec.match),
        route: [
          dest(target.primaryService, spec.primaryWeight),
          dest(target.canaryService, spec.canaryWeight),
        ],
        ...timeout,
      },
      { route: [dest(target.primaryService, 100), dest(target.canaryService, 0)], ...timeout },
    ];
  }
  const mirror = spec.mirror
    ? {
        mirror: { host: target.canaryService, port: { number: target.port } },
        mirrorPercentage: { value: 100 },
      }
    : {};
  return [
    {
      route: [dest(target.primaryService, spec.primaryWeight), dest(target.canaryService, spec.canaryWeight)],
      ...mirror,
      ...timeout,
    },
  ];
}

/** The VirtualService `<service>` holding only the fields Sluice owns; existingHttp keeps others' per-route fields. */
export function virtualService(
  apiVersion: string,
  target: RouteTarget,
  spec: RouteSpec,
  existingHttp?: unknown,
): Record<string, unknown> & { apiVersion: string; kind: string } {
  return {
    apiVersion,
    kind: 'VirtualService',
    metadata: {
      name: target.service,
      namespace: target.namespace,
      labels: { [ROLLOUT_LABEL]: target.rollout },
    },
    spec: {
      hosts: target.hosts,
      ...(target.gateways.length > 0 ? { gateways: target.gateways } : {}),
      http: carryOver(existingHttp, istioHttpRoutes(target, spec), MANAGED_ROUTE_FIELDS),
    },
  };
}

/** Reads the routing of a VirtualService's http routes: the A/B route when there is one, else the default route. */
export function istioRoutes(http: unknown, target: RouteTarget): Routes | undefined {
  if (!Array.isArray(http) || http.length === 0) return undefined;
  const route = http[0] as { route?: Destination[]; mirror?: unknown };
  const weight = (host: string) =>
    route.route?.find((d) => d.destination.host === host)?.weight ?? (route.route?.length === 1 ? 100 : 0);
  const has = (host: string) => route.route?.some((d) => d.destination.host === host) ?? false;
  const primary = has(target.primaryService) ? weight(target.primaryService) : 0;
  const canary = has(target.canaryService) ? weight(target.canaryService) : 0;
  return routesOf(primary, canary, route.mirror !== undefined && http.length === 1);
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
        spec: { host },
      } as Record<string, unknown> & { apiVersion: string; kind: string });
    }
    const { apiVersion, existing } = await this.read(target);
    const http = existing?.spec?.http;
    const spec = keptSpec(istioRoutes(http, target), Array.isArray(http) && http.length > 1, match);
    await applyOwned(objects, virtualService(apiVersion, target, spec, existing?.spec?.http));
  }

  async setRoutes(target: RouteTarget, routes: RouteSpec): Promise<void> {
    checkRouteSpec(this.name, this.capabilities, routes);
    const { apiVersion, existing } = await this.read(target);
    await applyOwned(
      this.deps.kube.objects,
      virtualService(apiVersion, target, routes, existing?.spec?.http),
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
    const existing = await readObject<{ apiVersion: string; kind: string; spec?: { http?: unknown } }>(
      this.deps.kube.objects,
      apiVersion,
      'VirtualService',
      target.namespace,
      target.service,
    );
    return { apiVersion, existing };
  }
}
