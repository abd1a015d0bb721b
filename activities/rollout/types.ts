import type { IstioRouteFields, ObjectMetadata, SessionAffinity } from '../../core/traffic/routes.js';
import type { GatewayRef } from '../../schemas/types.generated.js';

/** Everything the rollout activities need to find a rollout's objects; small enough for workflow history. */
export interface RolloutTarget {
  /** Name of the Rollout object. */
  rollout: string;
  namespace: string;
  /** The user's Deployment (the canary while a rollout runs). */
  target: string;
  service: {
    name: string;
    port: number;
    portName: string;
    targetPort?: number | string;
    hosts?: string[];
    gateways?: string[];
    timeout?: string;
    /** Istio route and DestinationRule fields (match, rewrite, retries, headers, corsPolicy, trafficPolicy). */
    istio?: IstioRouteFields;
    gatewayRefs?: GatewayRef[];
    /** Labels and annotations of the apex, -primary and -canary Services (apex's also on the route). */
    apex?: ObjectMetadata;
    primary?: ObjectMetadata;
    canary?: ObjectMetadata;
    sessionAffinity?: SessionAffinity;
  };
  provider: string;
  /** The user's Ingress, for the nginx provider. */
  ingress?: string;
}

/** What inspectRollout finds: whether a primary exists and whether the target has a new revision. */
export interface RolloutInspection {
  /** Checksum of the target's pod template and the ConfigMaps/Secrets it references. */
  targetChecksum: string;
  /** The checksum the primary was last promoted from; absent before initialisation. */
  primaryChecksum?: string;
  primaryExists: boolean;
  /** Replicas the primary runs (the canary is scaled to this). */
  primaryReplicas: number;
  targetReplicas: number;
}

/** A Deployment's readiness as waitDeploymentReady reports it. */
export interface ReadyResult {
  ready: boolean;
  message: string;
}
