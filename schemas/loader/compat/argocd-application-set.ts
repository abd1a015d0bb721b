// Argo CD ApplicationSet (argoproj.io/v1alpha1) → Sluice ApplicationSet: the list, git (directories and
// files), clusters and matrix generators, the template (an Argo CD Application spec, converted as one)
// and syncPolicy. Generators Sluice has no source for are refused naming the field.
import { OriginMap } from '../origin.js';
import { convertApplicationSpec } from './argocd-application.js';
import { type CompatContext, list } from './context.js';
import { type Conversion, p } from './conversion.js';

/** Argo CD generators Sluice does not offer, and why. */
const unsupported: Record<string, string> = {
  scmProvider: 'Sluice does not list repositories of an SCM provider',
  pullRequest: 'Sluice does not list pull requests',
  clusterDecisionResource: 'Sluice does not read cluster decision resources',
  plugin: 'Sluice has no generator plugins',
  merge: 'Sluice does not merge generators; use a matrix or separate sets',
};

/** Converts the generator at `from` (Sluice's at `to`); undefined when it cannot be. */
function generator(c: Conversion, origin: OriginMap, from: string, to: string, nested: boolean): unknown {
  const g = c.peek(from);
  const keys = g !== null && typeof g === 'object' ? Object.keys(g) : [];
  if (keys.includes('selector'))
    c.error(
      `${from}.selector`,
      'a post-selector on a generator is not supported',
      'filter in the generator itself',
    );
  const kind = keys.find((k) => k !== 'selector');
  if (kind === undefined) return c.move(origin, to, from);
  const why = unsupported[kind];
  if (why !== undefined) {
    c.error(`${from}.${kind}`, `the ${kind} generator is not supported: ${why}`);
    return undefined;
  }
  if (kind === 'matrix') {
    if (nested) {
      c.error(
        `${from}.matrix`,
        'a matrix inside a matrix is not supported: Sluice combines two plain generators',
      );
      return undefined;
    }
    const children = list(c.peek(`${from}.matrix.generators`)).map((_, i) =>
      generator(c, origin, `${from}.matrix.generators.${i}`, `${to}.matrix.generators.${i}`, true),
    );
    return { matrix: { generators: children } };
  }
  c.drop(
    `${from}.${kind}.template`,
    'per-generator template overrides are not supported; the set template applies',
  );
  c.drop(`${from}.${kind}.requeueAfterSeconds`, 'the watcher reads generators again on each new commit');
  if (kind === 'clusters' && c.peek(`${from}.clusters.selector.matchExpressions`) !== undefined)
    c.error(`${from}.clusters.selector.matchExpressions`, 'only matchLabels selects clusters in Sluice');
  return { [kind]: c.move(origin, `${to}.${kind}`, `${from}.${kind}`) };
}

/** Converts an Argo CD ApplicationSet into a Sluice ApplicationSet. */
export function convertArgoCDApplicationSet(c: Conversion, _ctx: CompatContext): void {
  const origin = new OriginMap();
  const metadata = c.metadata(origin);
  if (c.peek('spec.goTemplate') === true)
    c.error(
      'spec.goTemplate',
      'Go templates are not supported: Sluice fills {{name}} placeholders as Argo CD does without goTemplate',
    );
  else c.take('spec.goTemplate');
  c.drop('spec.goTemplateOptions', 'Sluice fills {{name}} placeholders, not Go templates');
  c.drop('spec.strategy', 'Sluice starts and updates generated Applications together');
  c.drop('spec.ignoreApplicationDifferences', 'the set is the only writer of its Applications');
  c.drop('spec.templatePatch', 'Sluice has one template per set');
  const generators = list(c.peek('spec.generators')).map((_, i) =>
    generator(c, origin, `spec.generators.${i}`, `spec.generators.${i}`, false),
  );
  origin.set(p('spec.template'), p('spec.template'));
  const template = {
    metadata: {
      name: c.move(origin, 'spec.template.metadata.name', 'spec.template.metadata.name'),
      namespace: c.move(origin, 'spec.template.metadata.namespace', 'spec.template.metadata.namespace'),
      labels: c.move(origin, 'spec.template.metadata.labels', 'spec.template.metadata.labels'),
      annotations: c.move(origin, 'spec.template.metadata.annotations', 'spec.template.metadata.annotations'),
    },
    spec: convertApplicationSpec(c, origin, 'spec.template.spec', 'spec.template.spec'),
  };
  c.drop('spec.template.metadata.finalizers', 'Sluice manages its own cleanup');
  const policy = c.peek('spec.syncPolicy');
  const syncPolicy =
    policy === undefined
      ? undefined
      : {
          applicationsSync: c.move(
            origin,
            'spec.syncPolicy.applicationsSync',
            'spec.syncPolicy.applicationsSync',
          ),
          preserveResourcesOnDeletion: c.move(
            origin,
            'spec.syncPolicy.preserveResourcesOnDeletion',
            'spec.syncPolicy.preserveResourcesOnDeletion',
          ),
        };
  c.emit(
    'ApplicationSet',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'ApplicationSet',
      metadata,
      spec: { generators, template, syncPolicy },
    },
    origin,
  );
  c.reportUnread();
}
