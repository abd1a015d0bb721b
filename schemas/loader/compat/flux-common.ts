// What Flux's Kustomization and HelmRelease share once they are Applications: dependsOn, the Alerts that
// announce them, and suspend.
import { valueAt } from '../path.js';
import { type CompatContext, groupOf, list, str } from './context.js';
import type { Conversion } from './conversion.js';

/** The API group of Flux's notification objects. */
export const fluxNotificationGroup = 'notification.toolkit.fluxcd.io';

/** Flux's dependsOn as the Application's `spec.dependsOn: [{name}]`. */
export function dependsOn(c: Conversion, ns: string): { name: string }[] | undefined {
  const deps = list(c.peek('spec.dependsOn'));
  if (!deps.length) return undefined;
  return deps.map((d, i) => {
    const at = `spec.dependsOn.${i}`;
    const depNs = str(c.take(`${at}.namespace`));
    // Sluice names Applications per repository, not per namespace: the dependency is found by its name.
    if (depNs !== undefined && depNs !== ns)
      c.warn(
        `${at}.namespace`,
        `the dependency is looked up by name among this repository's Applications, not in namespace ${depNs} (Sluice names Applications per repository)`,
      );
    c.drop(`${at}.readyExpr`, 'Sluice waits for the dependency to be synced and healthy');
    return { name: String(c.take(`${at}.name`) ?? (d as Record<string, unknown>)?.name) };
  });
}

/** The Application alerts of every Flux Alert among the files whose eventSources name this object. */
export function alertsFor(
  ctx: CompatContext,
  kind: string,
  name: string,
  ns: string,
): { name: string; severity: string; providerRef: { name: string; namespace?: string } }[] | undefined {
  const out: { name: string; severity: string; providerRef: { name: string; namespace?: string } }[] = [];
  for (const doc of ctx.objects.values()) {
    const v = doc.value as Record<string, unknown>;
    if (v.kind !== 'Alert' || groupOf(String(v.apiVersion)) !== fluxNotificationGroup) continue;
    const alertNs = str(valueAt(v, ['metadata', 'namespace'])) ?? 'default';
    const names = list(valueAt(v, ['spec', 'eventSources'])).some((s) => {
      const src = s as Record<string, unknown>;
      return (
        src.kind === kind && (src.name === name || src.name === '*') && (str(src.namespace) ?? alertNs) === ns
      );
    });
    const provider = str(valueAt(v, ['spec', 'providerRef', 'name']));
    if (!names || provider === undefined || valueAt(v, ['spec', 'suspend']) === true) continue;
    out.push({
      name: String(valueAt(v, ['metadata', 'name'])),
      severity: valueAt(v, ['spec', 'eventSeverity']) === 'error' ? 'error' : 'info',
      providerRef: { name: provider, ...(alertNs === ns ? {} : { namespace: alertNs }) },
    });
  }
  return out.length ? out : undefined;
}

/** Whether the object is suspended; a suspended one converts without automated sync, with a warning. */
export function suspended(c: Conversion): boolean {
  const s = c.take('spec.suspend') === true;
  if (s)
    c.warn(
      'spec.suspend',
      'suspended: the Application is converted without automated sync; sync it by hand (`sluice app sync`) or add syncPolicy.automated',
    );
  return s;
}

/** Refuses what makes Flux apply as someone or somewhere else: Sluice applies with its worker identity. */
export function refuseOtherIdentity(c: Conversion): void {
  if (c.peek('spec.serviceAccountName') !== undefined)
    c.error(
      'spec.serviceAccountName',
      'Sluice applies with its worker identity, not an impersonated ServiceAccount',
      "restrict what the Application may change with a Project's destinations and resource lists",
    );
  if (c.peek('spec.kubeConfig') !== undefined)
    c.error(
      'spec.kubeConfig',
      'Sluice names clusters instead',
      'register the cluster with Sluice and set destination.cluster',
    );
}
