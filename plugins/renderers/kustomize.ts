import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { KustomizationGraph } from './kustomize-graph.js';
import { gitProtocols } from './kustomize-remote.js';
import { parseManifests } from './manifests.js';
import { type BuiltinOptions, checkOptions } from './options.js';
import type { Renderer, RenderInput, RenderResult } from './renderer.js';
import { type RepoPath, resolveInRepo } from './repo-path.js';
import { baseToolEnv, runTool, type ToolOptions } from './run-tool.js';
import { withTempDir } from './temp-dir.js';
import { findTool } from './tool-path.js';
import { walkFiles } from './walk.js';

type KustomizeOptions = BuiltinOptions['kustomize'];

/** Options of the kustomize renderer: the tool's limits and what the administrator allows. */
export interface KustomizeRendererOptions extends ToolOptions {
  /** URL prefixes of the remote bases kustomize may fetch (worker config render.kustomize.remoteBases); default none. */
  remoteBases?: readonly string[];
}

/**
 * Flags that keep kustomize to building manifests, given explicitly although most are its defaults: files
 * only from inside each kustomization's folder, and no plugins, exec functions, helm or container network.
 */
export const containedBuildFlags = [
  '--load-restrictor=LoadRestrictionsRootOnly',
  '--enable-alpha-plugins=false',
  '--enable-exec=false',
  '--enable-helm=false',
  '--network=false',
];

/** A kustomization built with `kustomize build`, kept inside the repository (see kustomize-graph.ts). */
export class KustomizeRenderer implements Renderer {
  readonly name = 'kustomize';

  constructor(private readonly tool: KustomizeRendererOptions = {}) {}

  /** Builds the kustomization at the path, applying images, namePrefix and nameSuffix when given. */
  async render(input: RenderInput): Promise<RenderResult> {
    const options = checkOptions('kustomize', input.options);
    const app = await resolveInRepo(input.repoRoot, input.path, 'directory');
    // A symlinked file or folder in the app's tree that leaves the repository is refused outright, and
    // every path of every kustomization the app builds on must stay inside it (or be an allowed remote base).
    for await (const _ of walkFiles(app.root, app.real, { recurse: true, hidden: true }));
    const remoteBases = this.tool.remoteBases ?? [];
    await new KustomizationGraph(app.root, remoteBases).check(app.real);
    return withTempDir('kustomize', async (tmp) => {
      await mkdir(join(tmp, 'home'));
      const kustomize = (action: string, args: string[], cwd: string) =>
        runTool(
          {
            tool: 'kustomize',
            binary: this.binary(),
            args,
            cwd,
            env: toolEnv(tmp, remoteBases),
            file: app.rel,
            root: app.root,
            action,
          },
          this.tool,
        );
      const root = needsOverlay(options)
        ? await writeOverlay(join(tmp, 'overlay'), app, options, kustomize)
        : app.real;
      const output = await kustomize(
        `kustomize build ${app.rel}`,
        ['build', ...containedBuildFlags, '--', root],
        app.real,
      );
      return {
        objects: parseManifests(output, { file: app.rel, tool: 'kustomize build' }),
        sources: [app.rel],
      };
    });
  }

  private binary(): string {
    return this.tool.binary ?? findTool('kustomize');
  }
}

/**
 * kustomize's environment. HOME is a fresh folder, so a remote base cannot use the worker's Git
 * credentials or config; GIT_TERMINAL_PROMPT=0 makes a private one fail instead of waiting for a
 * password; git may use only the transports the allowed prefixes need (none by default). Without
 * allowed bases the worker's proxy settings are not passed on either: nothing is to be fetched.
 */
function toolEnv(tmp: string, remoteBases: readonly string[]): NodeJS.ProcessEnv {
  const proxies = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
  return {
    ...baseToolEnv(remoteBases.length ? proxies : []),
    HOME: join(tmp, 'home'),
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_ALLOW_PROTOCOL: gitProtocols(remoteBases),
  };
}

function needsOverlay(o: KustomizeOptions): boolean {
  return Boolean(o.images?.length || o.namePrefix || o.nameSuffix);
}

/**
 * Writes a kustomization that takes the application's as its only resource and adds the options:
 * the checkout is read-only, so they cannot be set in place as Argo CD does with `kustomize edit`.
 */
async function writeOverlay(
  dir: string,
  app: RepoPath,
  o: KustomizeOptions,
  kustomize: (action: string, args: string[], cwd: string) => Promise<string>,
): Promise<string> {
  await mkdir(dir);
  // kustomize refuses an absolute path as a resource root, so the overlay points at the app relatively.
  const overlay = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [relative(dir, app.real)],
    ...(o.namePrefix ? { namePrefix: o.namePrefix } : {}),
    ...(o.nameSuffix ? { nameSuffix: o.nameSuffix } : {}),
  };
  await writeFile(join(dir, 'kustomization.yaml'), stringify(overlay));
  // kustomize parses its own image syntax (name=newName:tag, name@digest, …), so the overlay gets
  // its images from `kustomize edit set image` rather than from a parser written here.
  if (o.images?.length)
    await kustomize(
      'kustomize edit set image (render option images)',
      ['edit', 'set', 'image', '--', ...o.images],
      dir,
    );
  return dir;
}
