// Argo Rollouts trafficRouting → a Sluice traffic provider. Argo edits routes the user wrote (a
// VirtualService, an Ingress, a TrafficSplit); Sluice generates its own routes for the Service, so the
// converter keeps what those routes answer for (hosts, gateways, the Ingress) and says which of the
// user's objects Sluice's routes replace.
import type { OriginMap } from '../origin.js';
import { valueAt } from '../path.js';
import { type CompatContext, findObject, list, str } from './context.js';
import { type Conversion, p } from './conversion.js';

/** What the converted Rollout takes from trafficRouting. */
export interface Routing {
  provider: string;
  ingressRef?: { name: string };
  hosts?: string[];
  gateways?: string[];
}

const gatewayPlugin = 'argoproj-labs/gatewayAPI';

/** Argo routers Sluice has no provider for, with what to do instead. */
const unsupported: Record<string, string> = {
  alb: 'Sluice has no AWS ALB provider; use nginx or the Gateway API',
  ambassador: 'Sluice has no Ambassador provider; use the Gateway API',
  appMesh: 'Sluice has no App Mesh provider; use istio or smi',
  traefik: 'Sluice has no Traefik provider; use the Gateway API (Traefik implements it)',
  apisix: 'Sluice has no APISIX provider; use the Gateway API (APISIX implements it)',
};

/** The VirtualService's hosts and gateways, when it is among the files converted. */
function virtualService(c: Conversion, ctx: CompatContext, ns: string, at: string): Partial<Routing> {
  const name = str(c.take(`${at}.name`));
  c.take(`${at}.routes`);
  c.take(`${at}.tlsRoutes`);
  c.take(`${at}.tcpRoutes`);
  if (name === undefined) return {};
  c.warn(
    at,
    `Sluice generates its own VirtualService for the Service (with the hosts and gateways of "${name}" when that is among the files converted); remove VirtualService "${name}" from your manifests once the converted Rollout serves`,
  );
  const vs = findObject(ctx, 'networking.istio.io', 'VirtualService', ns, name);
  if (!vs) return {};
  const hosts = list(valueAt(vs.value, ['spec', 'hosts'])).filter((h): h is string => typeof h === 'string');
  // A VirtualService without gateways applies to the mesh (Istio's reserved gateway "mesh").
  const listed = list(valueAt(vs.value, ['spec', 'gateways'])).filter(
    (g): g is string => typeof g === 'string',
  );
  const gateways = listed.length ? listed : ['mesh'];
  return { ...(hosts.length ? { hosts } : {}), ...(gateways.length ? { gateways } : {}) };
}

function istio(c: Conversion, ctx: CompatContext, ns: string, base: string): Routing {
  const out: Routing = { provider: 'istio' };
  if (c.peek(`${base}.virtualService`) !== undefined)
    Object.assign(out, virtualService(c, ctx, ns, `${base}.virtualService`));
  list(c.peek(`${base}.virtualServices`)).forEach((_, i) => {
    const found = virtualService(c, ctx, ns, `${base}.virtualServices.${i}`);
    out.hosts = [...(out.hosts ?? []), ...(found.hosts ?? [])];
    out.gateways = [...(out.gateways ?? []), ...(found.gateways ?? [])];
  });
  const dr = str(c.take(`${base}.destinationRule.name`));
  c.ignore(`${base}.destinationRule.canarySubsetName`, `${base}.destinationRule.stableSubsetName`);
  if (dr !== undefined)
    c.warn(
      `${base}.destinationRule`,
      `Sluice generates its own DestinationRules for the -primary and -canary Services; remove DestinationRule "${dr}" from your manifests once the converted Rollout serves`,
    );
  if (!out.hosts?.length) delete out.hosts;
  out.gateways = [...new Set(out.gateways ?? [])];
  // Only the mesh is Sluice's default (no gateways); "mesh" beside a gateway keeps in-mesh traffic routed too.
  if (out.gateways.length === 0 || (out.gateways.length === 1 && out.gateways[0] === 'mesh'))
    delete out.gateways;
  return out;
}

/** The Sluice provider and route fields for `<base>.trafficRouting` (undefined without one); null when it
 * cannot map, after errors naming why. */
export function trafficRouting(
  c: Conversion,
  ctx: CompatContext,
  origin: OriginMap,
  ns: string,
  base: string,
): Routing | undefined | null {
  const at = `${base}.trafficRouting`;
  const tr = c.peek(at) as Record<string, unknown> | undefined;
  if (tr === undefined) return undefined;
  // A provider problem found later (a router that could not map) points at trafficRouting, where it was caused.
  origin.set(p('spec.provider'), p(at));
  c.drop(`${at}.managedRoutes`, 'Sluice sets header and mirror routes only from its abTesting strategy');
  if (c.peek(`${at}.maxTrafficWeight`) !== undefined && c.peek(`${at}.maxTrafficWeight`) !== 100)
    c.error(`${at}.maxTrafficWeight`, 'Sluice weights are percentages', 'scale the setWeight steps to 100');
  else c.take(`${at}.maxTrafficWeight`);
  const routers = Object.keys(tr).filter((k) => k !== 'managedRoutes' && k !== 'maxTrafficWeight');
  const plugins = Object.keys((tr.plugins ?? {}) as object);
  const chosen: Routing[] = [];
  const before = c.issues.length;
  for (const r of routers) {
    if (r === 'istio') chosen.push(istio(c, ctx, ns, `${at}.istio`));
    else if (r === 'nginx') {
      const ingress = str(c.take(`${at}.nginx.stableIngress`));
      origin.set(p('spec.ingressRef.name'), p(`${at}.nginx.stableIngress`));
      c.drop(`${at}.nginx.stableIngresses`, 'Sluice adds a canary Ingress beside one Ingress');
      c.drop(`${at}.nginx.annotationPrefix`, 'Sluice writes the ingress-nginx canary annotations');
      c.drop(
        `${at}.nginx.additionalIngressAnnotations`,
        'Sluice writes the ingress-nginx canary annotations',
      );
      c.drop(`${at}.nginx.canaryIngressAnnotations`, 'Sluice writes the ingress-nginx canary annotations');
      chosen.push({ provider: 'nginx', ...(ingress ? { ingressRef: { name: ingress } } : {}) });
    } else if (r === 'smi') {
      c.drop(`${at}.smi.rootService`, 'Sluice generates the apex Service and its TrafficSplit');
      c.drop(`${at}.smi.trafficSplitName`, 'Sluice names the TrafficSplit after the Service');
      chosen.push({ provider: 'smi' });
    } else if (r === 'plugins') {
      for (const name of plugins) {
        if (name === gatewayPlugin) {
          c.take(`${at}.plugins.${name}`);
          c.warn(
            `${at}.plugins.${name}`,
            'Sluice generates its own HTTPRoute for the Service; attach it with spec.service.gateways',
          );
          chosen.push({ provider: 'gateway-api' });
        } else
          c.error(
            `${at}.plugins.${name}`,
            `the traffic router plugin "${name}" has no Sluice provider`,
            'Sluice routes with istio, nginx, smi, linkerd or the Gateway API; choose one and write spec.provider',
          );
      }
    } else
      c.error(
        `${at}.${r}`,
        `the ${r} traffic router is not converted`,
        unsupported[r] ?? 'Sluice routes with istio, nginx, smi, linkerd or the Gateway API',
      );
  }
  if (chosen.length > 1)
    c.error(at, `Sluice routes through one provider; this Rollout names ${routers.join(', ')}`);
  const failed = c.issues.slice(before).some((i) => i.severity === 'error');
  return failed || chosen.length !== 1 ? null : chosen[0];
}
