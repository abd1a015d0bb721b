import { didYouMean } from '../../core/did-you-mean.js';
import type { ClusterCapabilities } from './capabilities.js';
import { DirectoryRenderer } from './directory.js';
import { HelmRenderer } from './helm.js';
import type { ChartDependencyFetch } from './helm-dependencies.js';
import { KustomizeRenderer } from './kustomize.js';
import { importRendererPackage, type PluginLoadOptions } from './plugin-package.js';
import { PluginLoadError, type Renderer, UnknownPluginError } from './renderer.js';
import type { ToolOptions } from './run-tool.js';

/**
 * What renderers get from the worker, never from pipeline files: what the administrator allows (worker
 * config `render`) and, for helm, the destination cluster's capabilities and a fetcher of chart dependencies.
 */
export interface RenderPolicy {
  /** URL prefixes of the remote kustomize bases allowed (render.kustomize.remoteBases); default none. */
  kustomizeRemoteBases?: readonly string[];
  /** The destination's version and API versions (helm --kube-version/--api-versions); helm's defaults when absent. */
  capabilities?: ClusterCapabilities;
  /** Fetches a chart dependency from its repository (egress policy, configured credentials); none: not fetched. */
  chartDependency?: ChartDependencyFetch;
}

/** Options for a built-in renderer: the tool binary and limits (the directory renderer uses maxOutputBytes only), and the policy. */
export type RendererOptions = ToolOptions & RenderPolicy;

const builtins: Record<string, (opts: RendererOptions) => Renderer> = {
  directory: (opts) => new DirectoryRenderer(opts),
  kustomize: ({ kustomizeRemoteBases, ...tool }) =>
    new KustomizeRenderer({ ...tool, remoteBases: kustomizeRemoteBases ?? [] }),
  helm: (opts) => new HelmRenderer(opts),
};

// Third-party renderers by name, with the package each came from (for clash messages).
const plugins = new Map<string, { renderer: Renderer; pkg: string }>();

/** Names of every renderer: the built-ins and the plugins loaded so far, sorted. */
export function rendererNames(): string[] {
  return [...Object.keys(builtins), ...plugins.keys()].sort();
}

/** The renderer for a plugin name; an unknown name is an UnknownPluginError, never a fallback. */
export function createRenderer(name: string, opts: RendererOptions = {}): Renderer {
  const make = Object.hasOwn(builtins, name) ? builtins[name] : undefined;
  if (make) return make(opts);
  const plugin = plugins.get(name);
  if (plugin) return plugin.renderer;
  const names = rendererNames();
  const hint = didYouMean(name, names);
  throw new UnknownPluginError(
    `unknown renderer plugin ${JSON.stringify(name)}${hint ? ` (${hint})` : ''}; known renderers: ${names.join(', ')}`,
  );
}

/** Imports the renderer plugin packages the worker config names and registers their renderers, all or none. */
export async function loadRendererPlugins(
  packageNames: string[],
  opts: PluginLoadOptions = {},
): Promise<Renderer[]> {
  const loaded: { pkg: string; renderer: Renderer }[] = [];
  for (const pkg of packageNames)
    for (const renderer of await importRendererPackage(pkg, opts)) loaded.push({ pkg, renderer });
  // Every clash is found before anything is registered, so a worker starts with all its plugins or not at all.
  const owners = new Map([...plugins].map(([name, p]) => [name, p.pkg]));
  for (const { pkg, renderer } of loaded) {
    if (Object.hasOwn(builtins, renderer.name))
      throw new PluginLoadError(
        `renderer plugin package "${pkg}" defines "${renderer.name}", the name of a built-in renderer`,
      );
    const owner = owners.get(renderer.name);
    // The same package loaded again (a restarted worker in one process) replaces its own renderers.
    if (owner !== undefined && owner !== pkg)
      throw new PluginLoadError(
        `renderer plugin package "${pkg}" defines "${renderer.name}", which package "${owner}" defines too`,
      );
    owners.set(renderer.name, pkg);
  }
  for (const { pkg, renderer } of loaded) plugins.set(renderer.name, { renderer, pkg });
  return loaded.map((l) => l.renderer);
}
