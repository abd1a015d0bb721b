import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { parseManifests } from './manifests.js';
import { type BuiltinOptions, checkOptions } from './options.js';
import type { Renderer, RenderInput, RenderResult } from './renderer.js';
import { type RepoPath, resolveInRepo } from './repo-path.js';
import { baseToolEnv, runTool, type ToolOptions } from './run-tool.js';
import { withTempDir } from './temp-dir.js';
import { findTool } from './tool-path.js';
import { walkFiles } from './walk.js';

type KustomizeOptions = BuiltinOptions['kustomize'];

/** A kustomization built with `kustomize build`. */
export class KustomizeRenderer implements Renderer {
  readonly name = 'kustomize';

  constructor(private readonly tool: ToolOptions = {}) {}

  /** Builds the kustomization at the path, applying images, namePrefix and nameSuffix when given. */
  async render(input: RenderInput): Promise<RenderResult> {
    const options = checkOptions('kustomize', input.options);
    const app = await resolveInRepo(input.repoRoot, input.path, 'directory');
    // kustomize refuses files outside a kustomization's root by itself; a symlinked directory used as a
    // base is not a file, so the app's own tree is checked here too.
    for await (const _ of walkFiles(app.root, app.real, { recurse: true, hidden: true }));
    // HOME is a fresh directory so a remote base cannot use the worker's Git credentials or config,
    // and GIT_TERMINAL_PROMPT=0 makes a private one fail instead of waiting for a password.
    return withTempDir('kustomize', async (tmp) => {
      await mkdir(join(tmp, 'home'));
      const env = {
        ...baseToolEnv(['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']),
        HOME: join(tmp, 'home'),
        GIT_TERMINAL_PROMPT: '0',
      };
      const kustomize = (action: string, args: string[], cwd: string) =>
        runTool(
          { tool: 'kustomize', binary: this.binary(), args, cwd, env, file: app.rel, root: app.root, action },
          this.tool,
        );
      const root = needsOverlay(options)
        ? await writeOverlay(join(tmp, 'overlay'), app, options, kustomize)
        : app.real;
      const output = await kustomize(`kustomize build ${app.rel}`, ['build', root], app.real);
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
