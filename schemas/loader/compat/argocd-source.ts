// One Argo CD Application source (spec.source or an entry of spec.sources) → a Sluice source: a Git
// path, or a chart from a Helm repository / OCI registry, with its render options. Semantics follow
// Argo CD's "Helm", "Multiple Sources for an Application" and "Tool detection" docs.
import { parse } from 'yaml';
import type { OriginMap } from '../origin.js';
import { list } from './context.js';
import { type Conversion, p } from './conversion.js';

/** Argo CD's `helm.values` (a YAML string) as an object; `valuesObject` replaces it, as in Argo CD. */
function helmValues(c: Conversion, h: string): unknown {
  const object = c.take(`${h}.valuesObject`);
  if (object !== undefined) {
    c.drop(`${h}.values`, 'Argo CD ignores values when valuesObject is set');
    return object;
  }
  const text = c.take(`${h}.values`);
  if (typeof text !== 'string') return text; // not a string: the schema names what is wrong
  try {
    const parsed = parse(text) as unknown;
    return parsed === null ? undefined : parsed; // an empty string sets nothing
  } catch (err) {
    c.error(`${h}.values`, `values is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** The helm block of a source as Sluice's helm render options. */
function helmRender(c: Conversion, origin: OriginMap, s: string, t: string): Record<string, unknown> {
  const h = `${s}.helm`;
  origin.set(p(`${t}.render`), p(h));
  // Helm 3 is the only Helm Argo CD still runs, and the only one Sluice renders with.
  if (c.peek(`${h}.version`) === 'v3') c.take(`${h}.version`);
  const parameters = list(c.peek(`${h}.parameters`)).map((_, i) => {
    c.drop(`${h}.parameters.${i}.forceString`, 'Sluice always passes parameters as strings');
    return {
      name: c.move(origin, `${t}.render.parameters.${i}.name`, `${h}.parameters.${i}.name`),
      value: c.move(origin, `${t}.render.parameters.${i}.value`, `${h}.parameters.${i}.value`),
    };
  });
  const values = helmValues(c, h);
  origin.set(
    p(`${t}.render.values`),
    p(c.peek(`${h}.valuesObject`) !== undefined ? `${h}.valuesObject` : `${h}.values`),
  );
  return {
    plugin: 'helm',
    releaseName: c.move(origin, `${t}.render.releaseName`, `${h}.releaseName`),
    valueFiles: c.move(origin, `${t}.render.valueFiles`, `${h}.valueFiles`),
    values,
    parameters: parameters.length ? parameters : undefined,
    skipCrds: c.move(origin, `${t}.render.skipCrds`, `${h}.skipCrds`),
  };
}

/** The render options of a source, or undefined when Sluice should detect the tool from the path. */
function render(c: Conversion, origin: OriginMap, s: string, t: string): Record<string, unknown> | undefined {
  if (c.peek(`${s}.directory`) !== undefined) {
    const d = `${s}.directory`;
    origin.set(p(`${t}.render`), p(d));
    return {
      plugin: 'directory',
      recurse: c.take(`${d}.recurse`),
      include: c.take(`${d}.include`),
      exclude: c.take(`${d}.exclude`),
    };
  }
  if (c.peek(`${s}.kustomize`) !== undefined) {
    const k = `${s}.kustomize`;
    origin.set(p(`${t}.render`), p(k));
    return {
      plugin: 'kustomize',
      images: c.take(`${k}.images`),
      namePrefix: c.take(`${k}.namePrefix`),
      nameSuffix: c.take(`${k}.nameSuffix`),
    };
  }
  // A chart source is always rendered by Helm, with or without a helm block.
  if (c.peek(`${s}.helm`) !== undefined) return helmRender(c, origin, s, t);
  if (c.peek(`${s}.chart`) !== undefined) return { plugin: 'helm' };
  return undefined; // Sluice detects the tool from the path, as Argo CD does
}

/**
 * A chart repository URL as Sluice writes it. Argo CD names an OCI registry without a scheme
 * (`registry-1.docker.io/bitnamicharts`, with `enableOCI` on the repository credentials); Sluice says
 * `oci://`, so the converted file does not depend on how the credentials are set up.
 */
function chartRepoURL(c: Conversion, origin: OriginMap, s: string, t: string): unknown {
  const url = c.move(origin, `${t}.repoURL`, `${s}.repoURL`);
  if (typeof url !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  c.issues.push({
    severity: 'warning',
    field: p(`${s}.repoURL`),
    at: p(`${s}.repoURL`),
    prefer: 'value',
    message: `converted to oci://${url}: Argo CD reads a chart repository URL without a scheme as an OCI registry`,
  });
  return `oci://${url}`;
}

/** Converts the source at dotted path s (spec.source or spec.sources.N) into the Sluice source at t. */
export function convertSource(
  c: Conversion,
  origin: OriginMap,
  s: string,
  t: string,
): Record<string, unknown> {
  const chart = c.peek(`${s}.chart`) !== undefined;
  const url = c.peek(`${s}.repoURL`);
  if (!chart && typeof url === 'string' && url.startsWith('oci://'))
    c.error(
      `${s}.repoURL`,
      'an OCI artifact of plain manifests is not converted: Sluice reads charts from OCI registries, and manifests from Git',
      'name the chart (source.chart), or keep the manifests in Git',
    );
  return {
    repoURL: chart ? chartRepoURL(c, origin, s, t) : c.move(origin, `${t}.repoURL`, `${s}.repoURL`),
    chart: c.move(origin, `${t}.chart`, `${s}.chart`),
    targetRevision: c.move(origin, `${t}.targetRevision`, `${s}.targetRevision`),
    path: c.move(origin, `${t}.path`, `${s}.path`),
    ref: c.move(origin, `${t}.ref`, `${s}.ref`),
    render: render(c, origin, s, t),
  };
}
