import type { V1Ingress, V1IngressBackend } from '@kubernetes/client-node';
import type { TrafficCapabilities } from '../../core/traffic/providers.js';
import { trafficCapabilities } from '../../core/traffic/providers.js';
import type { RequestMatch, RouteSpec, Routes, RouteTarget } from '../../core/traffic/routes.js';
import { TrafficConfigError } from './errors.js';
import { applyOwned, deleteObject, type KindSource, ROLLOUT_LABEL, readObject } from './kube.js';
import { asRegex, checkRouteSpec, hasMatch, keptSpec, matchCondition, routesOf } from './routes.js';
import type { TrafficProvider, TrafficProviderDeps } from './types.js';

const PREFIX = 'nginx.ingress.kubernetes.io/';
/** The ingress-nginx annotations that make an Ingress a canary and route to it. */
export const CANARY_ANNOTATIONS = {
  canary: `${PREFIX}canary`,
  weight: `${PREFIX}canary-weight`,
  header: `${PREFIX}canary-by-header`,
  headerValue: `${PREFIX}canary-by-header-value`,
  headerPattern: `${PREFIX}canary-by-header-pattern`,
  cookie: `${PREFIX}canary-by-cookie`,
} as const;
const canaryKeys: string[] = Object.values(CANARY_ANNOTATIONS);

/** Name of the canary Ingress Sluice keeps beside the user's. */
export const canaryIngressName = (ingress: string): string => `${ingress}-canary`;

/**
 * The canary-by-* annotations for A/B matches. ingress-nginx routes by one header and one cookie, and the
 * cookie only by the value "always", so anything more is refused with the reason.
 */
export function nginxMatchAnnotations(match: RequestMatch[]): Record<string, string> {
  const headers = match.flatMap((m) => Object.entries(m.headers ?? {}));
  const cookies = match.flatMap((m) => Object.entries(m.cookies ?? {}));
  if (headers.length > 1 || cookies.length > 1)
    throw new TrafficConfigError(
      `nginx: ingress-nginx routes a canary by at most one header and one cookie, got headers [${headers.map(([h]) => h).join(', ')}] and cookies [${cookies.map(([c]) => c).join(', ')}]`,
    );
  const out: Record<string, string> = {};
  const header = headers[0];
  if (header) {
    const [name, cond] = header;
    const c = matchCondition(`header ${name}`, cond);
    out[CANARY_ANNOTATIONS.header] = name;
    if (c.type === 'exact') out[CANARY_ANNOTATIONS.headerValue] = c.value;
    else out[CANARY_ANNOTATIONS.headerPattern] = asRegex(`header ${name}`, cond);
  }
  const cookie = cookies[0];
  if (cookie) {
    const [name, cond] = cookie;
    if (cond.exact !== 'always' || cond.prefix !== undefined || cond.regex !== undefined)
      throw new TrafficConfigError(
        `nginx: ingress-nginx sends a request to the canary when cookie ${name} is "always"; match it with {exact: "always"}`,
      );
    out[CANARY_ANNOTATIONS.cookie] = name;
  }
  return out;
}

/** The canary-* annotations for a RouteSpec (A/B: matched requests only; canary-weight 0 keeps the rest on the primary). */
export function nginxAnnotations(spec: RouteSpec): Record<string, string> {
  const ab = hasMatch(spec);
  return {
    [CANARY_ANNOTATIONS.canary]: 'true',
    [CANARY_ANNOTATIONS.weight]: String(ab ? 0 : spec.canaryWeight),
    ...(ab && spec.canaryWeight > 0 ? nginxMatchAnnotations(spec.match) : {}),
  };
}

/**
 * The canary Ingress: the user's Ingress with every backend on the apex Service pointed at the canary Service,
 * the user's labels and annotations (less canary ones and kubectl's), and the canary annotations.
 */
export function canaryIngress(user: V1Ingress, target: RouteTarget, spec: RouteSpec): V1Ingress {
  let found = false;
  const repoint = (backend?: V1IngressBackend): V1IngressBackend | undefined => {
    if (backend?.service?.name !== target.service) return backend;
    found = true;
    return { ...backend, service: { ...backend.service, name: target.canaryService } };
  };
  const src = user.spec ?? {};
  const rules = src.rules?.map((r) => ({
    ...r,
    ...(r.http
      ? { http: { paths: r.http.paths.map((p) => ({ ...p, backend: repoint(p.backend) ?? p.backend })) } }
      : {}),
  }));
  const defaultBackend = repoint(src.defaultBackend);
  if (!found)
    throw new TrafficConfigError(
      `nginx: Ingress ${target.namespace}/${target.ingress} has no backend on Service ${target.service}, so there is nothing to split`,
    );
  const annotations = Object.fromEntries(
    Object.entries(user.metadata?.annotations ?? {}).filter(
      ([k]) => !canaryKeys.includes(k) && k !== 'kubectl.kubernetes.io/last-applied-configuration',
    ),
  );
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: canaryIngressName(target.ingress ?? ''),
      namespace: target.namespace,
      labels: { ...user.metadata?.labels, [ROLLOUT_LABEL]: target.rollout },
      annotations: { ...annotations, ...nginxAnnotations(spec) },
    },
    spec: {
      ...(src.ingressClassName ? { ingressClassName: src.ingressClassName } : {}),
      ...(defaultBackend ? { defaultBackend } : {}),
      ...(rules ? { rules } : {}),
      ...(src.tls ? { tls: src.tls } : {}),
    },
  };
}

/** Reads the routing from the canary Ingress's annotations. */
export function nginxRoutes(annotations: Record<string, string> | undefined): Routes {
  const a = annotations ?? {};
  if (a[CANARY_ANNOTATIONS.canary] !== 'true') return routesOf(100, 0);
  if (a[CANARY_ANNOTATIONS.header] !== undefined || a[CANARY_ANNOTATIONS.cookie] !== undefined)
    return routesOf(0, 100);
  const weight = Number(a[CANARY_ANNOTATIONS.weight] ?? '0');
  if (!Number.isInteger(weight) || weight < 0 || weight > 100)
    throw new TrafficConfigError(
      `nginx: ${CANARY_ANNOTATIONS.weight} is ${JSON.stringify(a[CANARY_ANNOTATIONS.weight])}, not 0-100`,
    );
  return routesOf(100 - weight, weight);
}

/** ingress-nginx canary annotations (Flagger's nginx router): `<ingress>-canary` beside the user's Ingress. */
export class NginxProvider implements TrafficProvider {
  readonly name = 'nginx';
  readonly capabilities: TrafficCapabilities = trafficCapabilities.nginx;
  readonly ownedKinds: KindSource[] = [
    { group: 'networking.k8s.io', kind: 'Ingress', versions: ['v1'], crd: 'none (Ingress is built in)' },
  ];

  constructor(private readonly deps: TrafficProviderDeps) {}

  async reconcile(target: RouteTarget, match?: RequestMatch[]): Promise<void> {
    const user = await this.userIngress(target);
    const existing = await this.canary(target);
    const current = existing ? nginxRoutes(existing.metadata?.annotations) : undefined;
    const spec = keptSpec(current, hasAbAnnotations(existing), match);
    await applyOwned(this.deps.kube.objects, canaryIngress(user, target, spec));
  }

  async setRoutes(target: RouteTarget, routes: RouteSpec): Promise<void> {
    checkRouteSpec(this.name, this.capabilities, routes);
    const user = await this.userIngress(target);
    await applyOwned(this.deps.kube.objects, canaryIngress(user, target, routes));
  }

  async getRoutes(target: RouteTarget): Promise<Routes> {
    const existing = await this.canary(target);
    if (!existing)
      throw new TrafficConfigError(
        `nginx: Ingress ${target.namespace}/${canaryIngressName(this.ingressName(target))} does not exist: reconcile first`,
      );
    return nginxRoutes(existing.metadata?.annotations);
  }

  /** Deletes the canary Ingress: with the rollout gone nothing should route to the canary Service. */
  async finalize(target: RouteTarget): Promise<void> {
    const name = canaryIngressName(this.ingressName(target));
    await deleteObject(this.deps.kube.objects, 'networking.k8s.io/v1', 'Ingress', target.namespace, name);
  }

  private ingressName(target: RouteTarget): string {
    if (!target.ingress)
      throw new TrafficConfigError(
        `the nginx provider needs the Rollout's ingressRef: the Ingress whose backend is Service ${target.service}`,
      );
    return target.ingress;
  }

  private async userIngress(target: RouteTarget): Promise<V1Ingress> {
    const name = this.ingressName(target);
    const user = await readObject<V1Ingress>(
      this.deps.kube.objects,
      'networking.k8s.io/v1',
      'Ingress',
      target.namespace,
      name,
    );
    if (!user)
      throw new TrafficConfigError(
        `nginx: Ingress ${target.namespace}/${name} (the Rollout's ingressRef) does not exist`,
      );
    return user;
  }

  private canary(target: RouteTarget): Promise<V1Ingress | undefined> {
    const name = canaryIngressName(this.ingressName(target));
    return readObject<V1Ingress>(
      this.deps.kube.objects,
      'networking.k8s.io/v1',
      'Ingress',
      target.namespace,
      name,
    );
  }
}

function hasAbAnnotations(ing?: V1Ingress): boolean {
  const a = ing?.metadata?.annotations ?? {};
  return a[CANARY_ANNOTATIONS.header] !== undefined || a[CANARY_ANNOTATIONS.cookie] !== undefined;
}
