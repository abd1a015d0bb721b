import type { RouteTarget } from '../../../../core/traffic/routes.js';

/** A RouteTarget for app `web` on port 9898, with overrides. */
export function target(over: Partial<RouteTarget> = {}): RouteTarget {
  return {
    namespace: 'apps',
    service: 'web',
    primaryService: 'web-primary',
    canaryService: 'web-canary',
    port: 9898,
    portName: 'http',
    hosts: ['web'],
    gateways: [],
    rollout: 'web',
    ...over,
  };
}
