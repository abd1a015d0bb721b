// The routing vocabulary of a rollout: where traffic goes, how A/B requests are matched, and what a
// traffic provider reports back. Shared by the rollout workflow, the rollout activities and every traffic plugin.
import type { GatewayRef } from '../../schemas/types.generated.js';

/** A string condition of an A/B match: exactly one of exact, prefix or regex. */
export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

/** Requests that match all of these headers and cookies go to the canary (A/B testing). */
export interface RequestMatch {
  headers?: Record<string, StringMatch>;
  cookies?: Record<string, StringMatch>;
}

/** Everything a provider needs to know about one rollout's routing, all names resolved. */
export interface RouteTarget {
  namespace: string;
  /** The apex Service clients call (`<service>`); it selects the primary pods. */
  service: string;
  /** `<service>-primary`, selecting the primary Deployment's pods. */
  primaryService: string;
  /** `<service>-canary`, selecting the target (canary) Deployment's pods. */
  canaryService: string;
  port: number;
  portName: string;
  /** Host names the route answers for (default: [service]). */
  hosts: string[];
  /** Gateways to attach the route to (istio gateway names, gateway-api parentRefs as "name" or "namespace/name"). */
  gateways: string[];
  /** Request timeout on the route, e.g. "30s", when the provider supports one. */
  timeout?: string;
  /** The user's Ingress (nginx only); Sluice adds `<ingress>-canary` beside it. */
  ingress?: string;
  /** Name of the Rollout, for labels and messages. */
  rollout: string;
  /** Istio fields of every http route and of the DestinationRules, as the Rollout wrote them (Flagger's). */
  istio?: IstioRouteFields;
  /** Gateway API parentRefs as written; when set they replace gateways. */
  gatewayRefs?: GatewayRef[];
  /** Labels and annotations of the routing object (the Rollout's service.apex). */
  metadata?: ObjectMetadata;
  /** Sticky canary: a cookie set by canary responses keeps a user on the canary while it gets traffic. */
  sessionAffinity?: SessionAffinity;
}

/**
 * Route settings a Rollout writes in Istio's shape, as Flagger's Canary does (service.match, retries, ...):
 * istio passes them through to its routes and DestinationRules; gateway-api translates match and headers.
 */
export interface IstioRouteFields {
  match?: Record<string, unknown>[];
  rewrite?: Record<string, unknown>;
  retries?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  corsPolicy?: Record<string, unknown>;
  trafficPolicy?: Record<string, unknown>;
}

/** Labels and annotations added to a generated object. */
export interface ObjectMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A sticky-canary cookie: its name and lifetime in seconds, and the optional sticky-primary cookie. */
export interface SessionAffinity {
  cookieName: string;
  maxAge: number;
  /** Name of the cookie primary responses set so their users stay on the primary (Flagger's primaryCookieName). */
  primaryCookieName?: string;
  /** Lifetime of the primary cookie in seconds: the analysis interval, so each step splits users anew. */
  primaryMaxAge?: number;
  /** Set-Cookie attributes of both cookies (Flagger's sessionAffinity fields of the same names). */
  domain?: string;
  path?: string;
  sameSite?: 'Strict' | 'Lax' | 'None';
  httpOnly?: boolean;
  secure?: boolean;
  partitioned?: boolean;
}

/**
 * Desired routing, always absolute (so setting it twice is harmless).
 * Without `match`: requests split primaryWeight / canaryWeight (the two add up to 100).
 * With `match` (A/B): matching requests go to the canary when canaryWeight > 0, everything else to the primary.
 * With `mirror`: all requests go to the primary and a copy of each goes to the canary (canaryWeight 0).
 */
export interface RouteSpec {
  primaryWeight: number;
  canaryWeight: number;
  mirror?: boolean;
  match?: RequestMatch[];
}

/** Routing as it is now in the cluster. */
export interface Routes {
  primaryWeight: number;
  canaryWeight: number;
  mirrored: boolean;
}
