// The traffic providers a Rollout may name and what each can do: the one table the loader checks
// strategies against and every traffic plugin declares as its capabilities.
import type { Rollout } from '../../schemas/types.generated.js';

/** Traffic provider of a rollout (Rollout.spec.provider). */
export type TrafficProviderName = NonNullable<Rollout['spec']['provider']>;

/** What a provider can do; the loader and the rollout workflow refuse a strategy the provider cannot carry out. */
export interface TrafficCapabilities {
  /** Weighted splits between 0 and 100 (false: only all-or-nothing, i.e. blue/green). */
  weights: boolean;
  /** Header / cookie matches (A/B testing). */
  match: boolean;
  mirror: boolean;
}

/** What each traffic provider can do, by name. */
export const trafficCapabilities: Readonly<Record<TrafficProviderName, Readonly<TrafficCapabilities>>> = {
  kubernetes: { weights: false, match: false, mirror: false },
  istio: { weights: true, match: true, mirror: true },
  'gateway-api': { weights: true, match: true, mirror: true },
  nginx: { weights: true, match: true, mirror: false },
  linkerd: { weights: true, match: false, mirror: false },
  smi: { weights: true, match: false, mirror: false },
};

/** Names of every traffic provider, sorted. */
export function trafficProviderNames(): TrafficProviderName[] {
  return (Object.keys(trafficCapabilities) as TrafficProviderName[]).sort();
}

/** Whether a name is a known traffic provider. */
export function isTrafficProviderName(name: string): name is TrafficProviderName {
  return Object.hasOwn(trafficCapabilities, name);
}
