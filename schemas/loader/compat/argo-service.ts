// The Service port of a converted Argo Rollout. Argo routes through Services the user writes (canary and
// stable, or active and preview); Sluice generates its own, so it reads the port from those Services in
// the same files, else from the pod template's named container port, else from the annotation older
// Sluice versions asked for.
import type { OriginMap } from '../origin.js';
import { valueAt } from '../path.js';
import { type CompatContext, findObject, list, str } from './context.js';
import { type Conversion, p } from './conversion.js';

/** Annotation that gives a converted Argo Rollout its Service port (still read; no longer needed). */
export const servicePortAnnotation = 'sluice.dev/service-port';

/** The Rollout's RolloutService fields: port, and portName / targetPort when the source states them. */
export type ServicePort = { port?: number | string; portName?: string; targetPort?: number | string };

/** The Service fields Argo's strategy names: canary/stable for canary, active/preview for blue-green. */
const serviceFields = [
  'spec.strategy.canary.stableService',
  'spec.strategy.canary.canaryService',
  'spec.strategy.blueGreen.activeService',
  'spec.strategy.blueGreen.previewService',
];

function fromServices(c: Conversion, ctx: CompatContext, ns: string): ServicePort | undefined {
  for (const field of serviceFields) {
    const name = str(c.peek(field));
    if (name === undefined) continue;
    const svc = findObject(ctx, '', 'Service', ns, name);
    if (!svc) continue;
    const port = list(valueAt(svc.value, ['spec', 'ports']))[0] as Record<string, unknown> | undefined;
    if (typeof port?.port !== 'number') continue;
    return {
      port: port.port,
      ...(typeof port.name === 'string' ? { portName: port.name } : {}),
      ...(port.targetPort !== undefined && port.targetPort !== port.port
        ? { targetPort: port.targetPort as number | string }
        : {}),
    };
  }
  return undefined;
}

function fromTemplate(c: Conversion): ServicePort | undefined {
  const ports = list(c.peek('spec.template.spec.containers')).flatMap((ct) =>
    list((ct as Record<string, unknown>)?.ports),
  ) as Record<string, unknown>[];
  const named = ports.find((pt) => pt.name === 'http') ?? ports.find((pt) => typeof pt.name === 'string');
  if (typeof named?.containerPort !== 'number') return undefined;
  return { port: named.containerPort, portName: named.name as string };
}

/** The port fields of the converted Rollout's service, reporting an error when no source states it. */
export function servicePort(c: Conversion, ctx: CompatContext, origin: OriginMap, ns: string): ServicePort {
  const annotations = (c.peek('metadata.annotations') ?? {}) as Record<string, unknown>;
  const annotated = str(annotations[servicePortAnnotation]);
  if (annotated !== undefined) {
    origin.set(p('spec.service.port'), ['metadata', 'annotations', servicePortAnnotation]);
    return { port: /^\d+$/.test(annotated) ? Number(annotated) : annotated };
  }
  const found = fromServices(c, ctx, ns) ?? fromTemplate(c);
  if (found) return found;
  origin.set(p('spec.service.port'), p('metadata'));
  c.error(
    'metadata',
    'Sluice needs the Service port: no canaryService/stableService (or activeService) Service with a port is in the files converted, and no container port is named',
    'convert the Rollout together with its Services, name the container port, or add the annotation sluice.dev/service-port: "8080"',
  );
  return {};
}
