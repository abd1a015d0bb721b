import type { TrafficCapabilities } from '../../core/traffic/providers.js';
import { trafficCapabilities } from '../../core/traffic/providers.js';
import type { RouteSpec, Routes, RouteTarget } from '../../core/traffic/routes.js';
import { TrafficConfigError } from './errors.js';
import { applyOwned, type KindSource, ROLLOUT_LABEL, readObject, servedApiVersion } from './kube.js';
import { checkRouteSpec, PRIMARY_ONLY, routesOf } from './routes.js';
import type { TrafficProvider, TrafficProviderDeps } from './types.js';

const CRD =
  'trafficsplits.split.smi-spec.io (SMI; github.com/servicemeshinterface/smi-sdk-go crds/split.yaml, or the linkerd-smi extension)';

/** TrafficSplit versions by preference per registered name: linkerd-smi serves v1alpha2 (and v1alpha1). */
const versions: Record<string, string[]> = {
  smi: ['v1alpha4', 'v1alpha3', 'v1alpha2', 'v1alpha1'],
  linkerd: ['v1alpha2', 'v1alpha1', 'v1alpha4', 'v1alpha3'],
};

interface Backend {
  service: string;
  weight: number | string;
}

/** Reads a TrafficSplit weight: an integer from v1alpha2 on, a Kubernetes quantity (e.g. "500m") in v1alpha1. */
export function splitWeight(w: number | string | undefined): number {
  if (typeof w === 'number') return w;
  if (w === undefined) return 0;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(w);
  if (!m) throw new TrafficConfigError(`smi: TrafficSplit weight ${JSON.stringify(w)} is not a number`);
  return Number(m[1]) / (m[2] ? 1000 : 1);
}

/** The TrafficSplit `<service>` holding only the fields Sluice owns. */
export function trafficSplit(
  apiVersion: string,
  target: RouteTarget,
  spec: RouteSpec,
): Record<string, unknown> & { apiVersion: string; kind: string } {
  // v1alpha1's weights are quantities, serialized as strings.
  const weight = (w: number) => (apiVersion.endsWith('/v1alpha1') ? String(w) : w);
  return {
    apiVersion,
    kind: 'TrafficSplit',
    metadata: {
      name: target.service,
      namespace: target.namespace,
      labels: { [ROLLOUT_LABEL]: target.rollout },
    },
    spec: {
      service: target.service,
      backends: [
        { service: target.primaryService, weight: weight(spec.primaryWeight) },
        { service: target.canaryService, weight: weight(spec.canaryWeight) },
      ],
    },
  };
}

/** Reads the routing of a TrafficSplit's backends as percentages. */
export function splitRoutes(backends: Backend[] | undefined, target: RouteTarget): Routes | undefined {
  if (!backends?.length) return undefined;
  const of = (name: string) =>
    backends.filter((b) => b.service === name).reduce((s, b) => s + splitWeight(b.weight), 0);
  const total = backends.reduce((s, b) => s + splitWeight(b.weight), 0);
  if (total === 0) return routesOf(100, 0);
  const canary = Math.round((of(target.canaryService) * 100) / total);
  return routesOf(100 - canary, canary);
}

/** SMI TrafficSplit (Flagger's smi and linkerd routers): `<service>` split between primary and canary. */
export class SmiProvider implements TrafficProvider {
  readonly capabilities: TrafficCapabilities;
  private readonly source: KindSource;
  readonly ownedKinds: KindSource[];

  constructor(
    readonly name: 'smi' | 'linkerd',
    private readonly deps: TrafficProviderDeps,
  ) {
    this.capabilities = trafficCapabilities[name];
    this.source = {
      group: 'split.smi-spec.io',
      kind: 'TrafficSplit',
      versions: versions[name] ?? [],
      crd: CRD,
    };
    this.ownedKinds = [this.source];
  }

  async reconcile(target: RouteTarget): Promise<void> {
    const { apiVersion, existing } = await this.read(target);
    const current = splitRoutes(existing?.spec?.backends, target) ?? routesOf(100, 0);
    await applyOwned(this.deps.kube.objects, trafficSplit(apiVersion, target, current));
  }

  async setRoutes(target: RouteTarget, routes: RouteSpec): Promise<void> {
    checkRouteSpec(this.name, this.capabilities, routes);
    const { apiVersion } = await this.read(target);
    await applyOwned(this.deps.kube.objects, trafficSplit(apiVersion, target, routes));
  }

  async getRoutes(target: RouteTarget): Promise<Routes> {
    const { existing } = await this.read(target);
    const routes = splitRoutes(existing?.spec?.backends, target);
    if (!routes)
      throw new TrafficConfigError(
        `TrafficSplit ${target.namespace}/${target.service} has no backends: reconcile first`,
      );
    return routes;
  }

  /** All traffic back on the primary; the TrafficSplit stays. */
  async finalize(target: RouteTarget): Promise<void> {
    if ((await this.read(target)).existing) await this.setRoutes(target, PRIMARY_ONLY);
  }

  private async read(target: RouteTarget) {
    const apiVersion = await servedApiVersion(this.deps.kube.objects, this.source);
    const existing = await readObject<{ apiVersion: string; kind: string; spec?: { backends?: Backend[] } }>(
      this.deps.kube.objects,
      apiVersion,
      'TrafficSplit',
      target.namespace,
      target.service,
    );
    return { apiVersion, existing };
  }
}
