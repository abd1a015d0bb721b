// Flux sources (source.toolkit.fluxcd.io): GitRepository, HelmRepository and OCIRepository. A source
// becomes no Sluice object of its own: the Kustomization or HelmRelease that uses it becomes an
// Application whose source carries its URL and revision. Each source document is still read field by
// field here, so what Sluice does without is reported where it is written.
import { OriginMap } from '../origin.js';
import { valueAt } from '../path.js';
import { type CompatContext, defaultNamespace, findObject, str } from './context.js';
import { type Conversion, p } from './conversion.js';

/** The API group of Flux sources. */
export const fluxSourceGroup = 'source.toolkit.fluxcd.io';

const credentials =
  "Sluice reads repository credentials from the worker's configuration (docs/config.md), never from a Secret the pipeline names";

/** Reads the fields every Flux source shares. */
function common(c: Conversion): void {
  c.metadata(new OriginMap());
  c.take('spec.url');
  c.drop('spec.interval', "the worker's repository poll interval decides this (webhooks wake it at once)");
  c.drop('spec.timeout', "the worker's Git and chart timeouts decide this");
  c.drop('spec.secretRef', credentials);
  c.drop('spec.certSecretRef', credentials);
  c.drop('spec.proxySecretRef', "outbound requests follow the worker's egress policy and proxy settings");
  c.drop('spec.suspend', 'suspend the Application that uses it instead');
  if (c.peek('spec.provider') === 'generic' || c.peek('spec.provider') === undefined) c.take('spec.provider');
  else
    c.error(
      'spec.provider',
      `cloud provider authentication (${String(c.peek('spec.provider'))}) is not converted`,
      credentials,
    );
}

/** Converts a Flux GitRepository: checks it; the Kustomization using it carries its URL and ref. */
export function convertFluxGitRepository(c: Conversion, _ctx: CompatContext): void {
  common(c);
  for (const f of ['branch', 'tag', 'commit', 'name']) c.take(`spec.ref.${f}`);
  if (c.peek('spec.ref.semver') !== undefined)
    c.error(
      'spec.ref.semver',
      'Sluice follows a branch, tag or commit, not a semver range of tags',
      'name a tag',
    );
  c.drop('spec.ignore', 'Sluice renders the Application path as it is in Git; move ignored files out of it');
  for (const f of ['include', 'recurseSubmodules', 'verify', 'sparseCheckout'])
    if (c.peek(`spec.${f}`) !== undefined && c.peek(`spec.${f}`) !== false)
      c.error(`spec.${f}`, `${f} is not converted: Sluice checks out the one repository as it is`);
    else c.take(`spec.${f}`);
  c.reportUnread();
}

/** Converts a Flux HelmRepository: checks it; the HelmRelease using it carries its URL. */
export function convertFluxHelmRepository(c: Conversion, _ctx: CompatContext): void {
  common(c);
  c.take('spec.type'); // "oci" shows in the URL's scheme as well
  c.drop('spec.passCredentials', 'Sluice never passes credentials to another host');
  c.drop('spec.accessFrom', 'Projects decide which Applications may use a repository (sourceRepos)');
  c.reportUnread();
}

/** Converts a Flux OCIRepository: checks it; the HelmRelease using it (chartRef) carries its URL and tag. */
export function convertFluxOCIRepository(c: Conversion, _ctx: CompatContext): void {
  common(c);
  c.take('spec.ref.tag');
  c.take('spec.ref.semver');
  if (c.peek('spec.ref.digest') !== undefined)
    c.error(
      'spec.ref.digest',
      'Sluice resolves a chart by version, not digest',
      'name the tag (the chart version)',
    );
  c.drop('spec.layerSelector', 'Sluice reads the Helm chart layer');
  c.drop('spec.insecure', 'Sluice always uses TLS');
  if (c.peek('spec.verify') !== undefined) c.error('spec.verify', 'signature verification is not converted');
  c.drop('spec.ignore', 'Sluice renders the chart as published');
  c.reportUnread();
}

/** A Flux source named by sourceRef/chartRef: its document, or undefined after reporting where it is missing. */
export function resolveSource(
  c: Conversion,
  ctx: CompatContext,
  origin: OriginMap,
  at: string,
  ns: string,
  kinds: string[],
): { kind: string; value: unknown } | undefined {
  const kind = str(c.take(`${at}.kind`)) ?? '';
  const name = str(c.take(`${at}.name`));
  const sourceNs = str(c.take(`${at}.namespace`)) ?? ns;
  c.take(`${at}.apiVersion`);
  // Without a source the Application has no repoURL: that follows from the error reported here.
  origin.set(p('spec.source.repoURL'), p(kinds.includes(kind) ? `${at}.name` : `${at}.kind`));
  if (!kinds.includes(kind)) {
    c.error(
      `${at}.kind`,
      `a ${kind} source is not converted`,
      `Sluice converts ${kinds.join(' and ')} sources`,
    );
    return undefined;
  }
  const doc = name === undefined ? undefined : findObject(ctx, fluxSourceGroup, kind, sourceNs, name);
  if (!doc) {
    c.error(
      `${at}.name`,
      `${kind} "${name}" not found in namespace "${sourceNs}" among the files converted`,
      'convert the source together with the objects that use it',
    );
    return undefined;
  }
  return { kind, value: doc.value };
}

/** The Git revision a GitRepository follows, as a Sluice targetRevision. */
export function gitRevision(source: unknown): string | undefined {
  const ref = (valueAt(source, ['spec', 'ref']) ?? {}) as Record<string, unknown>;
  const name = str(ref.name);
  // Flux's precedence: commit, then name, then tag, then branch.
  return str(ref.commit) ?? name?.replace(/^refs\/(heads|tags)\//, '') ?? str(ref.tag) ?? str(ref.branch);
}

/** The namespace of a document, Flux's default when it names none. */
export function namespaceOf(c: Conversion): string {
  return str(c.peek('metadata.namespace')) ?? defaultNamespace;
}
