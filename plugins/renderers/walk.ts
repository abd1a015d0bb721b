import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RenderError } from './renderer.js';
import { isInside, relPath } from './repo-path.js';

/** A file met by walkFiles. */
export interface WalkedFile {
  /** Path below the walked directory, with '/' separators, as the checkout names it (symlinks not resolved). */
  rel: string;
  /** Absolute path resolved through symlinks: the file to read. */
  real: string;
}

/** How walkFiles walks. */
export interface WalkOptions {
  /** Descend into subdirectories. */
  recurse: boolean;
  /** Include entries whose name starts with '.' (otherwise .git, .github and the like are skipped). */
  hidden: boolean;
}

/**
 * Lists the files under dir (inside the real repository root), in name order, following symlinks
 * that stay in the repository and refusing any that leave it.
 */
export async function* walkFiles(root: string, dir: string, opts: WalkOptions): AsyncGenerator<WalkedFile> {
  // Written by hand rather than with a glob library: every symlink must be checked before it is
  // followed, so a link to / is refused instead of walked, and a link cycle is visited once.
  const seen = new Set([dir]);
  async function* visit(abs: string, rel: string): AsyncGenerator<WalkedFile> {
    const entries = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (!opts.hidden && entry.name.startsWith('.')) continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const target = await follow(root, join(abs, entry.name), entry);
      if (!target) continue;
      if (target.kind === 'file') yield { rel: childRel, real: target.real };
      else if (opts.recurse && !seen.has(target.real)) {
        seen.add(target.real);
        yield* visit(target.real, childRel);
      }
    }
  }
  yield* visit(dir, '');
}

async function follow(
  root: string,
  path: string,
  entry: Dirent,
): Promise<{ kind: 'file' | 'directory'; real: string } | undefined> {
  if (entry.isFile()) return { kind: 'file', real: path };
  if (entry.isDirectory()) return { kind: 'directory', real: path };
  if (!entry.isSymbolicLink()) return undefined;
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) return undefined; // dangling: nothing to read, nothing to leak
  if (!isInside(root, real))
    throw new RenderError('symlink points outside the repository', { file: relPath(root, path) });
  const s = await stat(real);
  return s.isFile() ? { kind: 'file', real } : s.isDirectory() ? { kind: 'directory', real } : undefined;
}
