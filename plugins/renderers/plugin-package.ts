import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';
import { objectProblem } from './manifests.js';
import {
  PluginLoadError,
  RenderError,
  type Renderer,
  type RenderInput,
  type RenderResult,
} from './renderer.js';

/** Where third-party renderer packages are looked up. */
export interface PluginLoadOptions {
  /** Directory whose node_modules (or a parent's) holds the packages. Default: where Sluice itself is installed. */
  resolveFrom?: string;
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Imports a renderer plugin package and returns its renderers, checked for shape and wrapped so their output is checked too. */
export async function importRendererPackage(pkg: string, opts: PluginLoadOptions = {}): Promise<Renderer[]> {
  // import-meta-resolve rather than createRequire: it resolves ESM-only packages ("exports" with an
  // "import" condition) as import() would, from any directory, not only from this module's.
  const parent = opts.resolveFrom
    ? pathToFileURL(join(resolve(opts.resolveFrom), 'plugins.js')).href
    : import.meta.url;
  let mod: Record<string, unknown>;
  try {
    mod = await import(resolveImport(pkg, parent));
  } catch (cause) {
    throw new PluginLoadError(
      `renderer plugin package "${pkg}" could not be loaded: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  const renderers = isRecord(mod.default) && !('renderers' in mod) ? mod.default.renderers : mod.renderers;
  const fail = (problem: string) => new PluginLoadError(`renderer plugin package "${pkg}" ${problem}`);
  if (!Array.isArray(renderers))
    throw fail(
      `must export renderers: Renderer[] (or a default export { renderers }); it exports ${Object.keys(mod).join(', ') || 'nothing'}`,
    );
  const names = new Set<string>();
  return renderers.map((r: unknown, i) => {
    if (!isRecord(r) || typeof r.render !== 'function')
      throw fail(`renderers[${i}] has no render(input) function`);
    if (typeof r.name !== 'string' || !dnsLabel.test(r.name))
      throw fail(
        `renderers[${i}] name ${JSON.stringify(r.name)} is not a lowercase DNS label (a-z, 0-9, '-')`,
      );
    if (names.has(r.name)) throw fail(`exports two renderers named "${r.name}"`);
    names.add(r.name);
    return checked(r as unknown as Renderer, pkg);
  });
}

/** Wraps a third-party renderer so its objects meet the built-ins' guarantee: apiVersion, kind and metadata.name. */
function checked(renderer: Renderer, pkg: string): Renderer {
  return {
    name: renderer.name,
    async render(input: RenderInput): Promise<RenderResult> {
      const result = await renderer.render(input);
      const where = `renderer "${renderer.name}" (package "${pkg}")`;
      if (!isRecord(result) || !Array.isArray(result.objects))
        throw new RenderError(`${where} returned no objects array`, { file: input.path });
      result.objects.forEach((o, i) => {
        const problem = objectProblem(o);
        if (problem) throw new RenderError(`${where}: object ${i + 1} ${problem}`, { file: input.path });
      });
      return result;
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
