import type { KubeClients } from '../../activities/kube/client.js';
import type { TrafficCapabilities } from '../../core/traffic/providers.js';
import type { RequestMatch, RouteSpec, Routes, RouteTarget } from '../../core/traffic/routes.js';
import type { KindSource } from './kube.js';

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
