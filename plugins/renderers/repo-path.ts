import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { RenderError } from './renderer.js';

/** A path inside the checkout, resolved through symlinks. */
export interface RepoPath {
  /** The repository root, resolved through symlinks. */
  root: string;
  /** The path itself, absolute and resolved through symlinks. */
  real: string;
  /** The path relative to the root, with '/' separators ('.' for the root), for messages. */
  rel: string;
}

/** True when target is root itself or below it (both absolute). */
export function isInside(root: string, target: string): boolean {
  const r = relative(root, target);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/** Path relative to root with '/' separators, '.' for the root itself. */
export function relPath(root: string, target: string): string {
  return relative(root, target).split(sep).join('/') || '.';
}

/** Resolves a path given relative to the repository, refusing one that leaves it (by '..', or through a symlink). */
export async function resolveInRepo(
  repoRoot: string,
  path: string,
  expect: 'directory' | 'file',
): Promise<RepoPath> {
  const root = await realpath(repoRoot);
  const shown = path || '.';
  if (isAbsolute(shown))
    throw new RenderError(`path must be relative to the repository root, not absolute`, { file: shown });
  const target = resolve(root, shown);
  if (!isInside(root, target)) throw new RenderError('path leaves the repository', { file: shown });
  let real: string;
  try {
    real = await realpath(target);
  } catch (cause) {
    throw new RenderError(`no such ${expect} in the repository`, { file: shown, cause });
  }
  // A symlink in Git may point anywhere on the worker's disk; following it would leak that file.
  if (!isInside(root, real)) throw new RenderError('symlink points outside the repository', { file: shown });
  const s = await stat(real);
  if (expect === 'directory' ? !s.isDirectory() : !s.isFile())
    throw new RenderError(`is not a ${expect}`, { file: relPath(root, target) });
  return { root, real, rel: relPath(root, target) };
}
