// Argo CD Application (argoproj.io/v1alpha1) → Sluice Application. Semantics follow Argo CD's
// "Declarative setup", "Tool detection" and "Sync options" docs.
import { OriginMap } from '../origin.js';
import { convertSource } from './argocd-source.js';
import { type CompatContext, list, str } from './context.js';
import { type Conversion, p } from './conversion.js';

/** Argo CD's name for the cluster it runs in, which is Sluice's default cluster. */
export const inClusterServer = 'https://kubernetes.default.svc';

/** Argo's sync options that are simply how Sluice always applies (server-side, validated). */
const alwaysOn = new Set(['ServerSideApply=true', 'Validate=true']);

/** Sluice cluster name for an Argo destination ({server} or {name}), reporting what cannot map. */
export function clusterOf(c: Conversion, base: string): string | undefined {
  const name = str(c.take(`${base}.name`));
  const server = str(c.take(`${base}.server`));
  if (name !== undefined) return name;
  if (server === undefined) return undefined;
  if (server === inClusterServer) return 'in-cluster';
  if (server === '*') return '*';
  c.error(
    `${base}.server`,
    'Sluice names clusters instead of addressing them by API server URL',
    'use destination.name with the cluster name registered with Sluice',
  );
  return undefined;
}

function syncOptions(c: Conversion, origin: OriginMap, from: string, to: string): string[] | undefined {
  const out: string[] = [];
  list(c.peek(`${from}.syncPolicy.syncOptions`)).forEach((opt, i) => {
    const at = `${from}.syncPolicy.syncOptions.${i}`;
    c.take(at);
    if (typeof opt === 'string' && alwaysOn.has(opt)) return;
    origin.set(p(`${to}.syncPolicy.syncOptions.${out.length}`), p(at));
    out.push(opt as string);
  });
  return c.peek(`${from}.syncPolicy.syncOptions`) === undefined ? undefined : out;
}

/**
 * The dotted paths of the Application's sources: spec.source, or each entry of spec.sources (Argo CD
 * ignores spec.source when spec.sources is set; Sluice takes exactly one of them, so both is an error).
 */
function sourcePaths(c: Conversion, from: string): string[] {
  const many = c.peek(`${from}.sources`);
  if (many === undefined) return [`${from}.source`];
  if (c.peek(`${from}.source`) !== undefined)
    c.error(
      `${from}.source`,
      'both source and sources are set; Argo CD ignores source',
      'remove spec.source',
    );
  return list(many).map((_, i) => `${from}.sources.${i}`);
}

/**
 * Converts an Argo CD Application spec found at `from` into a Sluice one that will sit at `to` (both
 * "spec" for an Application; "spec.template.spec" for an ApplicationSet's template).
 */
export function convertApplicationSpec(
  c: Conversion,
  origin: OriginMap,
  from: string,
  to: string,
): Record<string, unknown> {
  // `$<ref>/…` value files are checked by the loader's source rules, as for Sluice's own files.
  const sources = sourcePaths(c, from);
  const project = str(c.take(`${from}.project`));
  c.drop(`${from}.revisionHistoryLimit`, 'Sluice keeps sync history in Temporal');
  c.drop(`${from}.info`, 'Sluice has no free-form info list; use metadata.annotations');
  c.drop(`${from}.syncPolicy.automated.allowEmpty`, 'Sluice never syncs a revision that renders nothing');
  const automated = c.peek(`${from}.syncPolicy.automated`);
  origin.set(p(`${to}.destination.cluster`), p(`${from}.destination`));
  const spec = {
    ...(c.peek(`${from}.sources`) === undefined
      ? { source: convertSource(c, origin, `${from}.source`, `${to}.source`) }
      : { sources: sources.map((at, i) => convertSource(c, origin, at, `${to}.sources.${i}`)) }),
    destination: {
      cluster: clusterOf(c, `${from}.destination`),
      namespace: c.move(origin, `${to}.destination.namespace`, `${from}.destination.namespace`),
    },
    syncPolicy: {
      automated:
        automated === undefined
          ? undefined
          : {
              prune: c.move(origin, `${to}.syncPolicy.automated.prune`, `${from}.syncPolicy.automated.prune`),
              selfHeal: c.move(
                origin,
                `${to}.syncPolicy.automated.selfHeal`,
                `${from}.syncPolicy.automated.selfHeal`,
              ),
            },
      retry: c.move(origin, `${to}.syncPolicy.retry`, `${from}.syncPolicy.retry`),
      syncOptions: syncOptions(c, origin, from, to),
    },
    // Argo CD's "default" project allows everything, which is what no project means in Sluice.
    project: project === 'default' ? undefined : project,
  };
  origin.set(p(`${to}.project`), p(`${from}.project`));
  // `automated: {}` turns automation on with nothing else set: read it as a whole.
  if (automated && typeof automated === 'object' && Object.keys(automated).length === 0)
    c.take(`${from}.syncPolicy.automated`);
  return spec;
}

/** Converts an Argo CD Application into a Sluice Application. */
export function convertArgoCDApplication(c: Conversion, _ctx: CompatContext): void {
  const origin = new OriginMap();
  const metadata = c.metadata(origin);
  const spec = convertApplicationSpec(c, origin, 'spec', 'spec');
  c.emit('Application', { apiVersion: 'sluice.dev/v1alpha1', kind: 'Application', metadata, spec }, origin);
  c.reportUnread();
}
