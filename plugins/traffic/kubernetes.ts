import { PatchStrategy, type V1Service } from '@kubernetes/client-node';
import type { TrafficCapabilities } from '../../core/traffic/providers.js';
import { trafficCapabilities } from '../../core/traffic/providers.js';
import type { RouteSpec, Routes, RouteTarget } from '../../core/traffic/routes.js';
import { TrafficConfigError } from './errors.js';
import { applyOwned, type KindSource, readObject } from './kube.js';
import { checkRouteSpec, PRIMARY_ONLY, routesOf } from './routes.js';
import type { TrafficProvider, TrafficProviderDeps } from './types.js';

type Selector = Record<string, string>;

/** Whether two Service selectors select the same pods (same keys and values). */
export function sameSelector(a: Selector, b: Selector): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

/**
 * Blue/green with plain Services (Flagger's kubernetes router): the apex `<service>` selects either the
 * primary's pods or the canary's, copied from the selector of `<service>-primary` or `<service>-canary`.
 */
export class KubernetesProvider implements TrafficProvider {
  readonly name = 'kubernetes';
  readonly capabilities: TrafficCapabilities = trafficCapabilities.kubernetes;
  // It only re-points the Services the rollout machinery creates.
  readonly ownedKinds: KindSource[] = [];

  constructor(private readonly deps: TrafficProviderDeps) {}

  /** Points the apex at the primary (the engine has just created or updated the three Services). */
  async reconcile(target: RouteTarget): Promise<void> {
    await this.setRoutes(target, PRIMARY_ONLY);
  }

  async setRoutes(target: RouteTarget, routes: RouteSpec): Promise<void> {
    if (routes.canaryWeight > 0 && routes.primaryWeight > 0)
      throw new TrafficConfigError(
        `the kubernetes provider only switches all traffic (blue/green); use istio, gateway-api, nginx or smi for weighted canaries (got primary ${routes.primaryWeight} / canary ${routes.canaryWeight})`,
      );
    checkRouteSpec(this.name, this.capabilities, routes);
    const { primary, canary } = await this.selectors(target);
    const want = routes.canaryWeight === 100 ? canary : primary;
    const objects = this.deps.kube.objects;
    const applied = await applyOwned<V1Service>(objects, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: target.service, namespace: target.namespace },
      spec: { selector: want },
    });
    // Apply merges selector keys; a key the other selector has but this one lacks (another field manager
    // may own it) must go, or the apex would select the intersection of both pod sets.
    const stale = Object.keys(applied.spec?.selector ?? {}).filter((k) => !(k in want));
    if (stale.length > 0) {
      await objects.patch(
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: target.service, namespace: target.namespace },
          spec: { selector: Object.fromEntries(stale.map((k) => [k, null])) },
        } as unknown as V1Service,
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.MergePatch,
      );
    }
  }

  async getRoutes(target: RouteTarget): Promise<Routes> {
    const { apex, primary, canary } = await this.selectors(target);
    if (sameSelector(apex, canary)) return routesOf(0, 100);
    if (sameSelector(apex, primary)) return routesOf(100, 0);
    throw new TrafficConfigError(
      `Service ${target.namespace}/${target.service} selects ${JSON.stringify(apex)}, neither the primary's ${JSON.stringify(primary)} nor the canary's ${JSON.stringify(canary)}`,
    );
  }

  /** Leaves the apex selecting the primary. */
  async finalize(target: RouteTarget): Promise<void> {
    await this.setRoutes(target, PRIMARY_ONLY);
  }

  private async selectors(
    target: RouteTarget,
  ): Promise<{ apex: Selector; primary: Selector; canary: Selector }> {
    const read = async (name: string): Promise<Selector> => {
      const svc = await readObject<V1Service>(
        this.deps.kube.objects,
        'v1',
        'Service',
        target.namespace,
        name,
      );
      if (!svc) throw new TrafficConfigError(`Service ${target.namespace}/${name} does not exist`);
      const selector = svc.spec?.selector ?? {};
      if (Object.keys(selector).length === 0)
        throw new TrafficConfigError(`Service ${target.namespace}/${name} has no selector`);
      return selector;
    };
    const [apex, primary, canary] = await Promise.all([
      read(target.service),
      read(target.primaryService),
      read(target.canaryService),
    ]);
    return { apex, primary, canary };
  }
}
