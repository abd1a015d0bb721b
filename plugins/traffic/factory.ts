import { didYouMean } from '../../core/did-you-mean.js';
import {
  isTrafficProviderName,
  type TrafficProviderName,
  trafficProviderNames,
} from '../../core/traffic/providers.js';
import { UnknownPluginError } from '../renderers/renderer.js';
import { GatewayApiProvider } from './gateway-api.js';
import { IstioProvider } from './istio.js';
import { KubernetesProvider } from './kubernetes.js';
import { NginxProvider } from './nginx.js';
import { SmiProvider } from './smi.js';
import type { TrafficProvider, TrafficProviderDeps } from './types.js';

// Typed by the core table's names, so a provider without a capability row (or the reverse) does not compile.
const providers: Record<TrafficProviderName, (deps: TrafficProviderDeps) => TrafficProvider> = {
  kubernetes: (deps) => new KubernetesProvider(deps),
  istio: (deps) => new IstioProvider(deps),
  'gateway-api': (deps) => new GatewayApiProvider(deps),
  nginx: (deps) => new NginxProvider(deps),
  smi: (deps) => new SmiProvider('smi', deps),
  linkerd: (deps) => new SmiProvider('linkerd', deps),
};

export { trafficProviderNames } from '../../core/traffic/providers.js';

/** The traffic provider for a Rollout's spec.provider; an unknown name is an UnknownPluginError, never a fallback. */
export function createTrafficProvider(name: string, deps: TrafficProviderDeps): TrafficProvider {
  if (isTrafficProviderName(name)) return providers[name](deps);
  const names = trafficProviderNames();
  const hint = didYouMean(name, names);
  throw new UnknownPluginError(
    `unknown traffic provider ${JSON.stringify(name)}${hint ? ` (${hint})` : ''}; known providers: ${names.join(', ')}`,
  );
}
