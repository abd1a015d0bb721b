import { readFile, stat } from 'node:fs/promises';
import type { KubernetesObject } from '@kubernetes/client-node';
import picomatch from 'picomatch';
import { parseManifests } from './manifests.js';
import { checkOptions } from './options.js';
import { RenderError, type Renderer, type RenderInput, type RenderResult } from './renderer.js';
import { resolveInRepo } from './repo-path.js';
import { defaultMaxOutputBytes } from './run-tool.js';
import { walkFiles } from './walk.js';

/** Limits of the directory renderer. */
export interface DirectoryOptions {
  /** Fail when the matched files add up to more than this many bytes. Default 64 MiB. */
  maxOutputBytes?: number;
}

/** The schema's default include glob. */
export const defaultInclude = '*.{yaml,yml,json}';

/** Plain YAML and JSON manifests in a directory (Argo CD's "directory" source). */
export class DirectoryRenderer implements Renderer {
  readonly name = 'directory';

  constructor(private readonly limits: DirectoryOptions = {}) {}

  /** Reads the matching files in name order, and their documents in file order. */
  async render(input: RenderInput): Promise<RenderResult> {
    const options = checkOptions('directory', input.options);
    const dir = await resolveInRepo(input.repoRoot, input.path, 'directory');
    const include = matcher(options.include ?? defaultInclude);
    const exclude = options.exclude ? matcher(options.exclude) : () => false;
    const limit = this.limits.maxOutputBytes ?? defaultMaxOutputBytes;
    const objects: KubernetesObject[] = [];
    const sources: string[] = [];
    let bytes = 0;
    const walk = { recurse: options.recurse ?? false, hidden: false };
    for await (const f of walkFiles(dir.root, dir.real, walk)) {
      if (!include(f.rel) || exclude(f.rel)) continue;
      const file = dir.rel === '.' ? f.rel : `${dir.rel}/${f.rel}`;
      bytes += (await stat(f.real)).size;
      if (bytes > limit)
        throw new RenderError(`the manifests under ${dir.rel} add up to more than ${limit} bytes`, { file });
      objects.push(...parseManifests(await readFile(f.real, 'utf8'), { file }));
      sources.push(file);
    }
    return { objects, sources };
  }
}

/**
 * A glob matched against the path below the application directory; one without a '/' matches the
 * file name at any depth, so the default "*.{yaml,yml,json}" also selects nested files with recurse.
 */
function matcher(glob: string): (path: string) => boolean {
  // picomatch's basename mode would also apply to globs with a '/', which must match the whole path.
  return picomatch(glob, { basename: !glob.includes('/'), dot: false });
}
