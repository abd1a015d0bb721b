import { describe, expect, it } from 'vitest';
import type { KubeClients } from '../../../../activities/kube/client.js';
import { UnknownPluginError } from '../../../../plugins/renderers/renderer.js';
import { createTrafficProvider, trafficProviderNames } from '../../../../plugins/traffic/factory.js';

// Constructing a provider makes no call, so no client is needed here; the integration test uses real ones.
const deps = { kube: {} as KubeClients };

describe('createTrafficProvider', () => {
  it('builds every provider under its name, smi also as linkerd', () => {
    expect(trafficProviderNames()).toEqual(['gateway-api', 'istio', 'kubernetes', 'linkerd', 'nginx', 'smi']);
    for (const name of trafficProviderNames()) expect(createTrafficProvider(name, deps).name).toBe(name);
    expect(createTrafficProvider('kubernetes', deps).capabilities).toEqual({
      weights: false,
      match: false,
      mirror: false,
    });
    expect(createTrafficProvider('istio', deps).capabilities).toEqual({
      weights: true,
      match: true,
      mirror: true,
    });
  });

  it('rejects an unknown name with a suggestion and the known names, never a fallback', () => {
    expect(() => createTrafficProvider('gateway_api', deps)).toThrow(UnknownPluginError);
    expect(() => createTrafficProvider('gateway_api', deps)).toThrow(
      'unknown traffic provider "gateway_api" (did you mean "gateway-api"?); known providers: gateway-api, istio, kubernetes, linkerd, nginx, smi',
    );
    expect(() => createTrafficProvider('appmesh', deps)).toThrow(
      /^unknown traffic provider "appmesh"; known providers/,
    );
    expect(() => createTrafficProvider('toString', deps)).toThrow(UnknownPluginError);
  });
});
