// Argo CD Application (argoproj.io/v1alpha1) → Sluice Application. Semantics follow Argo CD's
// "Declarative setup", "Tool detection" and "Sync options" docs.
import { parse } from 'yaml';
import { OriginMap } from '../origin.js';
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

function render(c: Conversion, origin: OriginMap): Record<string, unknown> | undefined {
  const s = 'spec.source';
  if (c.peek(`${s}.directory`) !== undefined) {
    origin.set(p(`${s}.render`), p(`${s}.directory`));
    const d = `${s}.directory`;
    return {
      plugin: 'directory',
      recurse: c.take(`${d}.recurse`),
      include: c.take(`${d}.include`),
      exclude: c.take(`${d}.exclude`),
    };
  }
  if (c.peek(`${s}.kustomize`) !== undefined) {
    origin.set(p(`${s}.render`), p(`${s}.kustomize`));
    const k = `${s}.kustomize`;
    return {
      plugin: 'kustomize',
      images: c.take(`${k}.images`),
      namePrefix: c.take(`${k}.namePrefix`),
      nameSuffix: c.take(`${k}.nameSuffix`),
    };
  }
  if (c.peek(`${s}.helm`) !== undefined) {
    const h = `${s}.helm`;
    origin.set(p(`${s}.render`), p(h));
    let values = c.take(`${h}.valuesObject`);
    const text = c.take(`${h}.values`);
    if (typeof text === 'string') {
      try {
        values = { ...(parse(text) as object), ...(values as object) };
      } catch (err) {
        c.error(`${h}.values`, `values is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    const parameters = list(c.peek(`${h}.parameters`)).map((_, i) => {
      c.drop(`${h}.parameters.${i}.forceString`, 'Sluice always passes parameters as strings');
      return { name: c.take(`${h}.parameters.${i}.name`), value: c.take(`${h}.parameters.${i}.value`) };
    });
    return {
      plugin: 'helm',
      releaseName: c.take(`${h}.releaseName`),
      valueFiles: c.take(`${h}.valueFiles`),
      values,
      parameters: parameters.length ? parameters : undefined,
      skipCrds: c.take(`${h}.skipCrds`),
    };
  }
  return undefined; // Sluice detects the tool from the path, as Argo CD does
}

function syncOptions(c: Conversion, origin: OriginMap): string[] | undefined {
  const out: string[] = [];
  list(c.peek('spec.syncPolicy.syncOptions')).forEach((opt, i) => {
    const from = `spec.syncPolicy.syncOptions.${i}`;
    c.take(from);
    if (typeof opt === 'string' && alwaysOn.has(opt)) return;
    origin.set(p(`spec.syncPolicy.syncOptions.${out.length}`), p(from));
    out.push(opt as string);
  });
  return c.peek('spec.syncPolicy.syncOptions') === undefined ? undefined : out;
}

/** Converts an Argo CD Application into a Sluice Application. */
export function convertArgoCDApplication(c: Conversion, _ctx: CompatContext): void {
  const origin = new OriginMap();
  if (c.peek('spec.sources') !== undefined)
    c.error(
      'spec.sources',
      'multi-source Applications are not converted',
      'write one Sluice Application per source',
    );
  if (c.peek('spec.source.chart') !== undefined)
    c.error(
      'spec.source.chart',
      'charts from Helm repositories are not supported',
      'vendor the chart into Git and point source.path at it',
    );
  const project = str(c.take('spec.project'));
  c.drop('spec.revisionHistoryLimit', 'Sluice keeps sync history in Temporal');
  c.drop('spec.info', 'Sluice has no free-form info list; use metadata.annotations');
  c.drop('spec.syncPolicy.automated.allowEmpty', 'Sluice never syncs a revision that renders nothing');
  const automated = c.peek('spec.syncPolicy.automated');
  origin.set(p('spec.destination.cluster'), p('spec.destination'));
  c.emit(
    'Application',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'Application',
      metadata: c.metadata(origin),
      spec: {
        source: {
          repoURL: c.move(origin, 'spec.source.repoURL', 'spec.source.repoURL'),
          targetRevision: c.move(origin, 'spec.source.targetRevision', 'spec.source.targetRevision'),
          path: c.move(origin, 'spec.source.path', 'spec.source.path'),
          render: render(c, origin),
        },
        destination: {
          cluster: clusterOf(c, 'spec.destination'),
          namespace: c.move(origin, 'spec.destination.namespace', 'spec.destination.namespace'),
        },
        syncPolicy: {
          automated:
            automated === undefined
              ? undefined
              : {
                  prune: c.move(origin, 'spec.syncPolicy.automated.prune', 'spec.syncPolicy.automated.prune'),
                  selfHeal: c.move(
                    origin,
                    'spec.syncPolicy.automated.selfHeal',
                    'spec.syncPolicy.automated.selfHeal',
                  ),
                },
          retry: c.move(origin, 'spec.syncPolicy.retry', 'spec.syncPolicy.retry'),
          syncOptions: syncOptions(c, origin),
        },
        // Argo CD's "default" project allows everything, which is what no project means in Sluice.
        project: project === 'default' ? undefined : project,
      },
    },
    origin,
  );
  origin.set(p('spec.project'), p('spec.project'));
  // `automated: {}` turns automation on with nothing else set: read it as a whole.
  if (automated && typeof automated === 'object' && Object.keys(automated).length === 0)
    c.take('spec.syncPolicy.automated');
  c.reportUnread();
}
