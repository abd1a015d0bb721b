// Flux Kustomization (kustomize.toolkit.fluxcd.io) + its GitRepository → Sluice Application. Semantics
// follow Flux's "Kustomization" API docs: Flux applies the path of the source on every interval, corrects
// drift, and prunes when asked, which is an automated Application with selfHeal.
import { OriginMap } from '../origin.js';
import { type CompatContext, list, str } from './context.js';
import { type Conversion, p } from './conversion.js';
import { alertsFor, dependsOn, refuseOtherIdentity, suspended } from './flux-common.js';
import { gitRevision, namespaceOf, resolveSource } from './flux-source.js';

/** Flux's images entry as a kustomize `images` string ("name=newName:newTag"). */
function image(c: Conversion, i: number): string {
  const at = `spec.images.${i}`;
  const name = String(c.take(`${at}.name`));
  const newName = str(c.take(`${at}.newName`));
  const tag = str(c.take(`${at}.newTag`));
  const digest = str(c.take(`${at}.digest`));
  const ref = `${newName ?? name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return `${name}=${ref}`;
}

function render(c: Conversion, origin: OriginMap): Record<string, unknown> | undefined {
  const images = list(c.peek('spec.images')).map((_, i) => image(c, i));
  const namePrefix = c.move(origin, 'spec.source.render.namePrefix', 'spec.namePrefix');
  const nameSuffix = c.move(origin, 'spec.source.render.nameSuffix', 'spec.nameSuffix');
  if (!images.length && namePrefix === undefined && nameSuffix === undefined) return undefined;
  origin.set(p('spec.source.render.images'), p('spec.images'));
  return { plugin: 'kustomize', images: images.length ? images : undefined, namePrefix, nameSuffix };
}

/** Reports the Kustomization fields Sluice refuses or does without. */
function unsupported(c: Conversion): void {
  for (const f of ['patches', 'patchesStrategicMerge', 'patchesJson6902', 'components', 'commonMetadata'])
    if (c.peek(`spec.${f}`) !== undefined)
      c.error(`spec.${f}`, `${f} is not converted`, 'write it into a kustomization.yaml in the path');
  if (c.peek('spec.force') === true)
    c.error('spec.force', 'Sluice never deletes and recreates objects to change immutable fields');
  else c.take('spec.force');
  refuseOtherIdentity(c);
  if (c.peek('spec.wait') === false)
    c.warn('spec.wait', 'not converted: Sluice always waits for the objects it applies to be healthy');
  else c.take('spec.wait');
  c.drop('spec.retryInterval', 'Sluice retries a failed sync with backoff (syncPolicy.retry)');
  c.drop('spec.deletionPolicy', 'Sluice prunes per syncPolicy.automated.prune and the Application deletion');
  c.drop(
    'spec.healthChecks',
    'Sluice waits for every object it applies to be healthy; objects outside the Application are not waited for',
  );
}

/** Converts a Flux Kustomization into a Sluice Application. */
export function convertFluxKustomization(c: Conversion, ctx: CompatContext): void {
  const origin = new OriginMap();
  const ns = namespaceOf(c);
  const name = String(c.peek('metadata.name'));
  const metadata = c.metadata(origin);
  origin.set(p('spec.source'), p('spec.sourceRef'));
  const source = resolveSource(c, ctx, origin, 'spec.sourceRef', ns, ['GitRepository']);
  const path = str(c.move(origin, 'spec.source.path', 'spec.path'))?.replace(/^\.\/?/, '') || undefined;
  unsupported(c);
  const off = suspended(c);
  // Copied as written: the Application's rules compile each expression with the health checks' CEL
  // environment (Flux's variables included), so a bad one is an error at its line in this file.
  const healthChecks = list(c.take('spec.healthCheckExprs'));
  origin.set(p('spec.healthChecks'), p('spec.healthCheckExprs'));
  origin.set(p('spec.dependsOn'), p('spec.dependsOn'));
  c.emit(
    'Application',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'Application',
      metadata,
      spec: {
        source: {
          repoURL: source ? (source.value as { spec?: { url?: unknown } }).spec?.url : undefined,
          targetRevision: source ? gitRevision(source.value) : undefined,
          path,
          render: render(c, origin),
        },
        destination: {
          namespace: c.move(origin, 'spec.destination.namespace', 'spec.targetNamespace') ?? 'default',
        },
        syncPolicy: {
          automated: off
            ? undefined
            : {
                prune: c.move(origin, 'spec.syncPolicy.automated.prune', 'spec.prune') ?? false,
                selfHeal: true,
              },
          refreshInterval: c.move(origin, 'spec.syncPolicy.refreshInterval', 'spec.interval'),
        },
        dependsOn: dependsOn(c, ns),
        healthChecks: healthChecks.length ? healthChecks : undefined,
        progressDeadline: c.move(origin, 'spec.progressDeadline', 'spec.timeout'),
        postBuild: c.move(origin, 'spec.postBuild', 'spec.postBuild'),
        decryption: c.move(origin, 'spec.decryption', 'spec.decryption'),
        alerts: alertsFor(ctx, 'Kustomization', name, ns),
      },
    },
    origin,
  );
  if (off) c.take('spec.prune');
  c.reportUnread();
}
