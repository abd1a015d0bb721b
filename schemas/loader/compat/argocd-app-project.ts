// Argo CD AppProject (argoproj.io/v1alpha1) → Sluice Project. Argo's whitelists and blacklists are
// Sluice's allow and deny lists; Projects are not namespaced in Sluice.
import { OriginMap } from '../origin.js';
import { clusterOf } from './argocd-application.js';
import { type CompatContext, list } from './context.js';
import { type Conversion, p } from './conversion.js';

const lists = [
  ['clusterResourceWhitelist', 'clusterResourceAllowList'],
  ['clusterResourceBlacklist', 'clusterResourceDenyList'],
  ['namespaceResourceWhitelist', 'namespaceResourceAllowList'],
  ['namespaceResourceBlacklist', 'namespaceResourceDenyList'],
] as const;

/** Converts an Argo CD AppProject into a Sluice Project. */
export function convertArgoCDAppProject(c: Conversion, _ctx: CompatContext): void {
  const origin = new OriginMap();
  const destinations = list(c.peek('spec.destinations')).map((_, i) => {
    const d = `spec.destinations.${i}`;
    origin.set(p(d), p(d));
    return { cluster: clusterOf(c, d), namespace: c.take(`${d}.namespace`) };
  });
  const spec: Record<string, unknown> = {
    description: c.move(origin, 'spec.description', 'spec.description'),
    sourceRepos: c.move(origin, 'spec.sourceRepos', 'spec.sourceRepos'),
    destinations: c.peek('spec.destinations') === undefined ? undefined : destinations,
  };
  for (const [argo, sluice] of lists) spec[sluice] = c.move(origin, `spec.${sluice}`, `spec.${argo}`);
  c.emit(
    'Project',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'Project',
      // The AppProject's namespace is where Argo CD runs; a Sluice Project has none.
      metadata: c.metadata(origin, { namespaced: false }),
      spec,
    },
    origin,
  );
  c.reportUnread();
}
