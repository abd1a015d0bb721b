import type { KubeClients } from '../../activities/kube/client.js';
import type { KindSource } from './kube.js';

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

/** What a provider can do; the rollout workflow refuses a strategy the provider cannot carry out. */
export interface TrafficCapabilities {
  /** Weighted splits between 0 and 100 (false: only all-or-nothing, i.e. blue/green). */
  weights: boolean;
  /** Header / cookie matches (A/B testing). */
  match: boolean;
  mirror: boolean;
}

/** A traffic provider plugin: owns the routing objects of a rollout (modelled on Flagger's router). */
export interface TrafficProvider {
  /** The plugin name used in Rollout.spec.provider. */
  readonly name: string;
  readonly capabilities: TrafficCapabilities;
  /** Kinds of the routing objects it creates (labelled sluice.dev/rollout), deleted with their Application. */
  readonly ownedKinds: KindSource[];
  /** Creates or updates the routing objects, all traffic on the primary when newly created; keeps current weights otherwise. */
  reconcile(target: RouteTarget, match?: RequestMatch[]): Promise<void>;
  /** Sets the routing absolutely (idempotent), preserving fields of those objects that others own. */
  setRoutes(target: RouteTarget, routes: RouteSpec): Promise<void>;
  /** Reads the current routing from the cluster. */
  getRoutes(target: RouteTarget): Promise<Routes>;
  /** Removes what the provider added that would misroute once the rollout machinery is gone (all traffic to primary). */
  finalize(target: RouteTarget): Promise<void>;
}

/** What a provider is built from. */
export interface TrafficProviderDeps {
  kube: KubeClients;
}
